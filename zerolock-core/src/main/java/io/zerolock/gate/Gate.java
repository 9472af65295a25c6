package io.zerolock.gate;

import io.zerolock.ErrorCode;
import io.zerolock.Sizes;
import io.zerolock.ZerolockException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Is it safe to go on? Asked by everything that runs unattended before it starts an operation and between
 * its steps, and by reindex, apply and alter-type once before they start. Each answer is logged with its
 * reasons; callers with a journal write it to the history too.
 */
public final class Gate {

    private static final Logger log = LoggerFactory.getLogger(Gate.class);

    private final GateLimits limits;

    public Gate(GateLimits limits) {
        this.limits = limits;
    }

    public GateLimits limits() {
        return limits;
    }

    /**
     * What an operation asks about.
     *
     * @param tableOid the table it works on (an anti-wraparound vacuum there skips it), or null
     * @param target how the log and history name it
     * @param spaceNeededBytes new space it will take at its peak (a rebuilt index beside the old one)
     */
    public record Request(Long tableOid, String target, long spaceNeededBytes) {

        public static Request server() {
            return new Request(null, null, 0);
        }
    }

    public Decision check(Connection connection, Request request) {
        ServerHealth health;
        try {
            health = ServerHealth.read(connection, request.tableOid());
        } catch (SQLException e) {
            throw new ZerolockException(ErrorCode.OPERATION_FAILED, "cannot read the server's health: "
                    + e.getMessage(), e);
        }
        Decision decision = judge(health, request);
        log.atInfo().setMessage("gate").addKeyValue("decision", decision.verdict().id())
                .addKeyValue("target", request.target() == null ? "-" : request.target())
                .addKeyValue("reason", decision.reasons()).log();
        return decision;
    }

    /**
     * The preflight of an interactive command: asks once, keeps the decision in the history, and refuses,
     * with nothing changed, unless the gate says go.
     */
    public static void refuseUnlessGo(Connection connection, GateLimits limits, String command, Long tableOid,
            String target, io.zerolock.journal.Journal journal) {
        Decision decision = new Gate(limits).check(connection, new Request(tableOid, target, 0));
        journal.gateDecision(command, target, decision);
        if (!decision.go()) {
            throw new ZerolockException(ErrorCode.REFUSED, "refused, nothing was changed: the gate said "
                    + decision.verdict().id() + ": " + decision.reasons() + " (the limits are options: see zerolock "
                    + command + " --help)");
        }
    }

    Decision judge(ServerHealth health, Request request) {
        List<Signal> signals = new ArrayList<>();
        if (health.standby()) {
            signals.add(new Signal("standby", Verdict.STOP, "the server is a standby (in recovery): maintenance runs "
                    + "on the primary"));
            return Decision.of(signals);
        }
        if (health.wraparoundVacuumPid() != null) {
            signals.add(new Signal("wraparound_vacuum", Verdict.SKIP, "an autovacuum to prevent wraparound (pid "
                    + health.wraparoundVacuumPid() + ") is working on the table: it must not be cancelled, and a "
                    + "rebuild would wait for it"));
        }
        if (limits.diskBudgetBytes() != null && request.spaceNeededBytes() > limits.diskBudgetBytes()) {
            signals.add(new Signal("disk", Verdict.SKIP, "it needs about " + Sizes.pretty(request.spaceNeededBytes())
                    + " of new space, more than --disk-budget " + Sizes.pretty(limits.diskBudgetBytes())));
        }
        if (health.replicaLagMillis() > limits.maxReplicaLag().toMillis()) {
            signals.add(new Signal("replica_lag", Verdict.WAIT, "a standby's replay lag is " + health.replicaLagMillis()
                    + " ms (--max-replica-lag " + limits.maxReplicaLag().toMillis() + " ms)"));
        }
        if (health.replicaBytesBehind() > limits.maxReplicaBytes()) {
            signals.add(new Signal("replica_bytes", Verdict.WAIT, "a standby has " + Sizes.pretty(
                    health.replicaBytesBehind()) + " of WAL left to replay (--max-replica-bytes "
                    + Sizes.pretty(limits.maxReplicaBytes()) + ")"));
        }
        health.retainingSlot().filter(slot -> slot.bytes() > limits.maxRetainedWalBytes()).ifPresent(slot ->
                signals.add(new Signal("retained_wal", Verdict.WAIT, "replication slot " + slot.name() + " ("
                        + (slot.active() ? "active" : "inactive") + ") holds back " + Sizes.pretty(slot.bytes())
                        + " of WAL (--max-retained-wal " + Sizes.pretty(limits.maxRetainedWalBytes())
                        + "): the WAL a rebuild writes would pile up behind it")));
        ServerHealth.Archiver archiver = health.archiver();
        if (archiver != null && archiver.failing()) {
            signals.add(new Signal("archiver", Verdict.WAIT, "WAL archiving is failing (last failed: "
                    + archiver.lastFailedWal() + "): WAL piles up until it works again"));
        } else if (archiver != null && archiver.backlogSegments() != null
                && archiver.backlogSegments() > limits.maxArchiveBacklog()) {
            signals.add(new Signal("archiver", Verdict.WAIT, archiver.backlogSegments() + " WAL segments wait for "
                    + "the archiver (--max-archive-backlog " + limits.maxArchiveBacklog() + ")"));
        }
        if (limits.maxTransactionAge() != null) {
            health.oldestTransaction().filter(t -> t.ageMillis() > limits.maxTransactionAge().toMillis())
                    .ifPresent(t -> signals.add(new Signal("old_transaction", Verdict.WAIT, "a transaction has been "
                            + "open longer than --max-xact-age " + limits.maxTransactionAge().toSeconds()
                            + " s, and a concurrent build would wait for it: " + t.describe())));
        }
        return Decision.of(signals);
    }
}
