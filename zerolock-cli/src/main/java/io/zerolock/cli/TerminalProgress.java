package io.zerolock.cli;

import io.zerolock.ProgressListener;
import java.io.PrintStream;

/** A live progress line on a terminal, redrawn in place each second while a build runs. */
final class TerminalProgress implements ProgressListener {

    private final PrintStream terminal;
    private boolean drawn;

    TerminalProgress(PrintStream terminal) {
        this.terminal = terminal;
    }

    @Override
    public synchronized void progress(Progress p) {
        String done = p.blocksTotal() > 0
                ? String.format("%d%% of blocks (%d/%d)", 100 * p.blocksDone() / p.blocksTotal(), p.blocksDone(),
                        p.blocksTotal())
                : p.tuplesTotal() > 0 ? String.format("%d/%d tuples", p.tuplesDone(), p.tuplesTotal()) : "";
        String line = String.format("%s %s: %s %s, %ds", p.index(), p.step(), p.phase(), done, p.elapsed().toSeconds());
        terminal.print("\r\033[K" + line);
        terminal.flush();
        drawn = true;
    }

    @Override
    public synchronized void stepFinished(String step) {
        if (drawn) {
            terminal.println();
            drawn = false;
        }
    }
}
