package io.zerolock.cli;

import io.zerolock.Version;
import io.zerolock.Zerolock;
import io.zerolock.catalog.ServerInfo;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "version", usageHelpAutoWidth = true,
        description = "Print zerolock's version; with connection options, the server's version too.",
        footerHeading = "%nExamples:%n",
        footer = {"  zerolock version", "  zerolock version -d postgresql://app@db.internal/app"})
final class VersionCommand implements Callable<Integer> {

    @Mixin
    ConnectionMixin connection;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        out.println("zerolock " + Version.current() + " (Java " + Runtime.version() + ")");
        if (connection.given()) {
            try (Zerolock zerolock = Zerolock.connect(connection.options())) {
                ServerInfo server = zerolock.server();
                out.println("server: PostgreSQL " + server.version() + (server.inRecovery() ? " (replica)" : "")
                        + " at " + zerolock.target().host() + ":" + zerolock.target().port() + ", database "
                        + server.database() + ", user " + server.currentUser());
            }
        }
        out.flush();
        return 0;
    }
}
