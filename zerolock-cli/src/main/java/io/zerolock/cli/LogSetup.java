package io.zerolock.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.LayoutBase;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.slf4j.LoggerFactory;

/** Points every log event at one stream, in logfmt or JSON, at the chosen verbosity. */
final class LogSetup {

    enum Format { LOGFMT, JSON }

    private LogSetup() {}

    static void configure(Format format, boolean quiet, boolean verbose, OutputStream target) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();

        LayoutBase<ILoggingEvent> layout;
        if (format == Format.JSON) {
            JsonLayout json = new JsonLayout();
            json.setStackTraces(verbose);
            layout = json;
        } else {
            LogfmtLayout logfmt = new LogfmtLayout();
            logfmt.setStackTraces(verbose);
            layout = logfmt;
        }
        layout.setContext(context);
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        encoder.setLayout(layout);
        encoder.setCharset(StandardCharsets.UTF_8);
        encoder.start();

        OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
        appender.setContext(context);
        appender.setName("zerolock");
        appender.setEncoder(encoder);
        appender.setImmediateFlush(true);
        appender.setOutputStream(new NonClosingStream(target));
        appender.start();

        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(appender);
        root.setLevel(quiet ? Level.WARN : verbose ? Level.DEBUG : Level.INFO);
        // third-party chatter only when asked for
        Level thirdParty = verbose ? Level.INFO : Level.WARN;
        context.getLogger("io.zonky").setLevel(thirdParty);
        context.getLogger("org.postgresql").setLevel(thirdParty);
    }

    /** The appender must not close System.err when it is stopped. */
    private static final class NonClosingStream extends java.io.FilterOutputStream {
        NonClosingStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws java.io.IOException {
            out.write(bytes, offset, length);
        }

        @Override
        public void close() throws java.io.IOException {
            flush();
        }
    }
}
