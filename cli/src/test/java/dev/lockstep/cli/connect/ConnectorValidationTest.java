package dev.lockstep.cli.connect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConnectorValidationTest {

    @Test
    void errorsArePerKeyAndPasswordKeysAreSecrets() throws Exception {
        ConnectorValidation validation = ConnectorValidation.of(new ObjectMapper().readTree("""
                {"name": "SalesforceSourceConnector", "error_count": 2, "groups": [], "configs": [
                  {"definition": {"name": "salesforce.client.id", "type": "STRING"},
                   "value": {"name": "salesforce.client.id", "value": "x", "errors": ["refused by Salesforce"]}},
                  {"definition": {"name": "salesforce.client.secret", "type": "PASSWORD"},
                   "value": {"name": "salesforce.client.secret", "value": "[hidden]", "errors": []}},
                  {"definition": {"name": "object.include.list", "type": "LIST"},
                   "value": {"name": "object.include.list", "value": "Acount",
                             "errors": ["no object Acount", "second"]}}]}"""));

        assertThat(validation.valid()).isFalse();
        assertThat(validation.errors()).containsExactly(Map.entry("salesforce.client.id",
                List.of("refused by Salesforce")), Map.entry("object.include.list", List.of("no object Acount",
                "second")));
        assertThat(validation.secretKeys()).containsExactly("salesforce.client.secret");
    }

    @Test
    void anAnswerWithoutErrorsIsValid() throws Exception {
        assertThat(ConnectorValidation.of(new ObjectMapper().readTree("{\"error_count\": 0, \"configs\": []}"))
                .valid()).isTrue();
    }
}
