package io.zerolock.reindex;

import io.zerolock.ConnectionOptions;
import io.zerolock.ConnectionTarget;
import io.zerolock.connect.ConnectionResolver;
import io.zerolock.connect.Connector;
import io.zerolock.testing.TestDatabase;
import java.nio.file.Path;
import java.util.Map;

/** Connections to a test database the way a user would give them. */
final class Databases {

    private Databases() {}

    static ConnectionTarget target(TestDatabase db) {
        return new ConnectionResolver(Map.of(), Path.of("/nonexistent"), "nobody").resolve(ConnectionOptions.ofDbname(
                "postgresql://postgres@localhost:" + db.port() + "/" + db.name()));
    }

    static Connector connector(TestDatabase db) {
        return new Connector(target(db));
    }
}
