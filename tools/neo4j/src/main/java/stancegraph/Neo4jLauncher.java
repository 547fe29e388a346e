package stancegraph;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.BoltConnectorInternalSettings;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.io.ByteUnit;

/**
 * Runs an embedded Neo4j Community DBMS whose only door is the Bolt connector
 * on the loopback interface, with authentication off, for development and
 * tests. It runs until the process is told to stop (SIGTERM, SIGINT), when a
 * shutdown hook stops the DBMS so the store is left clean.
 *
 * <pre>
 * java -cp CLASSPATH stancegraph.Neo4jLauncher [--home DIR] [--port N] [--host ADDR] [--wipe]
 * </pre>
 *
 * Environment: NEO4J_HOME_DIR, NEO4J_BOLT_PORT, NEO4J_BOLT_HOST,
 * NEO4J_PAGECACHE_MB; flags win over the environment.
 */
public final class Neo4jLauncher {
    private Neo4jLauncher() {}

    public static void main(String[] args) throws Exception {
        Path home = Path.of(env("NEO4J_HOME_DIR", "run/home"));
        String host = env("NEO4J_BOLT_HOST", "127.0.0.1");
        int port = Integer.parseInt(env("NEO4J_BOLT_PORT", "7687"));
        long pageCacheMb = Long.parseLong(env("NEO4J_PAGECACHE_MB", "64"));
        boolean wipe = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--home" -> home = Path.of(value(args, ++i));
                case "--port" -> port = Integer.parseInt(value(args, ++i));
                case "--host" -> host = value(args, ++i);
                case "--wipe" -> wipe = true;
                default -> usage("unknown argument " + args[i]);
            }
        }
        home = home.toAbsolutePath();
        if (wipe) {
            deleteTree(home);
        }
        Files.createDirectories(home);

        long started = System.nanoTime();
        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress(host, port))
                .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                .setConfig(HttpConnector.enabled, false)
                .setConfig(HttpsConnector.enabled, false)
                .setConfig(GraphDatabaseSettings.auth_enabled, false)
                .setConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.mebiBytes(pageCacheMb))
                // A throwaway development store: keep transaction logs small.
                .setConfig(GraphDatabaseSettings.keep_logical_logs, "keep_none")
                .setConfig(GraphDatabaseSettings.preallocate_logical_logs, false)
                .setConfig(GraphDatabaseSettings.preallocate_store_files, false)
                // No network here, and nobody to report usage to.
                .setConfig(GraphDatabaseSettings.udc_enabled, false)
                // Netty's graceful shutdown otherwise waits ~10 s on every stop.
                .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0)
                .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_timeout, Duration.ofSeconds(2))
                .setConfig(BoltConnectorInternalSettings.connection_shutdown_wait_time, Duration.ofSeconds(1))
                .build();

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("neo4j-launcher: stopping");
            try {
                dbms.shutdown();
            } finally {
                System.out.println("neo4j-launcher: stopped");
                System.out.flush();
                stopped.countDown();
            }
        }, "neo4j-launcher-shutdown"));

        // The default database must answer a query before we say we are ready.
        GraphDatabaseService db = dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
        db.executeTransactionally("RETURN 1");
        System.out.printf("neo4j-launcher: ready in %d ms: bolt://%s:%d (auth off), home %s%n",
                Duration.ofNanos(System.nanoTime() - started).toMillis(), host, port, home);
        System.out.flush();
        stopped.await();
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            usage(args[i - 1] + " needs a value");
        }
        return args[i];
    }

    private static void usage(String problem) {
        System.err.println("neo4j-launcher: " + problem);
        System.err.println("usage: Neo4jLauncher [--home DIR] [--port N] [--host ADDR] [--wipe]");
        System.exit(2);
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
