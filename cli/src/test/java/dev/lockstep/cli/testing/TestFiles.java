package dev.lockstep.cli.testing;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;

/** Files of {@code src/test/resources}. */
public final class TestFiles {

    private TestFiles() {
    }

    /** The hand-written Heroku Connect export with mappings of Account, Contact, Opportunity and Sync_Sample__c. */
    public static Path herokuConnectExport() {
        return path("/mappings/heroku-connect-export.json");
    }

    /** A test resource as a file. */
    public static Path path(String resource) {
        URL url = TestFiles.class.getResource(resource);
        if (url == null) {
            throw new IllegalArgumentException("no test resource " + resource);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(resource, e);
        }
    }
}
