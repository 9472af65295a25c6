package io.zerolock.cli;

import io.zerolock.execute.Stop;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ctrl-C (SIGINT) and SIGTERM: the first says what zerolock was doing, cancels its statement and lets
 * the run undo what it may, within a bound, and journal it; the run then exits 130 (SIGINT) or 143
 * (SIGTERM). A second signal leaves at once, saying what is left and that the next run repairs it.
 * Installed only by the command line's {@code main}, never in a library user's process.
 */
final class Signals {

    private static final Logger log = LoggerFactory.getLogger(Signals.class);
    private static final AtomicInteger RECEIVED = new AtomicInteger();
    private static volatile String first;

    private Signals() {}

    /** The exit code for a run stopped by the signal received, or {@code otherwise} when none was. */
    static int exitCode(int otherwise) {
        if (first == null) {
            return otherwise;
        }
        return first.equals("SIGTERM") ? 143 : 130;
    }

    static void install() {
        try {
            Class<?> signal = Class.forName("sun.misc.Signal");
            Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
            Method handle = signal.getMethod("handle", signal, handlerType);
            for (String name : new String[] {"INT", "TERM"}) {
                InvocationHandler onSignal = (proxy, method, args) -> {
                    if (method.getName().equals("handle")) {
                        received("SIG" + name);
                        return null;
                    }
                    return switch (method.getName()) {
                        case "hashCode" -> System.identityHashCode(proxy);
                        case "equals" -> proxy == args[0];
                        default -> "zerolock " + name + " handler";
                    };
                };
                Object handler = Proxy.newProxyInstance(Signals.class.getClassLoader(), new Class<?>[] {handlerType},
                        onSignal);
                handle.invoke(null, signal.getConstructor(String.class).newInstance(name), handler);
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            // not a HotSpot-like runtime: the JVM's own handling stays (exit at once; the next run repairs)
            log.atDebug().setMessage("cannot handle signals").addKeyValue("reason", String.valueOf(e)).log();
        }
    }

    private static void received(String name) {
        if (RECEIVED.incrementAndGet() == 1) {
            first = name;
            log.atWarn().setMessage("stopping: cancelling the running statement and undoing what may be undone "
                    + "(press Ctrl-C again to leave at once)").addKeyValue("signal", name)
                    .addKeyValue("doing", Stop.doing()).log();
            Stop.request(name);
            return;
        }
        log.atError().setMessage("leaving now, without finishing the undo: the next zerolock run on the same "
                + "index, or zerolock resume, repairs what is left").addKeyValue("signal", name)
                .addKeyValue("doing", Stop.doing()).log();
        System.err.flush();
        Runtime.getRuntime().halt(exitCode(130));
    }
}
