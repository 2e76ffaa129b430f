package dev.lockstep.cli.up;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DatabaseTest {

    @Test
    void psqlLineIsTheJdbcUrlAsAConnectionUriWithTheUserAndWithoutParameters() {
        assertThat(new Database("jdbc:postgresql://127.0.0.1:5433/postgres", "postgres", null).psql())
                .isEqualTo("psql postgresql://postgres@127.0.0.1:5433/postgres");
        assertThat(new Database("jdbc:postgresql://db:5432/app?sslmode=require", "sync", "secret").psql())
                .isEqualTo("psql postgresql://sync@db:5432/app");
    }

    @Test
    void urlThatIsNotAPlainPostgresUrlHasNoPsqlLine() {
        assertThat(new Database("jdbc:pgsql://db/app", "sync", null).psql()).isNull();
    }
}
