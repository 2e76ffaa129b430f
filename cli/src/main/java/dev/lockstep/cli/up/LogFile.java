package dev.lockstep.cli.up;

import java.nio.file.Path;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.config.builder.api.ConfigurationBuilder;
import org.apache.logging.log4j.core.config.builder.api.ConfigurationBuilderFactory;
import org.apache.logging.log4j.core.config.builder.impl.BuiltConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the whole stack's logging (log4j and slf4j, which Kafka, Connect, the connectors, zonky and the emulator use,
 * and java.util.logging, which Jersey and gRPC use) to one file, so that the terminal shows only the command's own
 * output.
 */
final class LogFile {

    private LogFile() {
    }

    static void use(Path file) {
        ConfigurationBuilder<BuiltConfiguration> config = ConfigurationBuilderFactory.newConfigurationBuilder();
        config.setConfigurationName("lockstep-up");
        config.setStatusLevel(org.apache.logging.log4j.Level.ERROR);
        config.setShutdownHook("disable");
        config.add(config.newAppender("file", "File")
                .addAttribute("fileName", file.toString())
                .addAttribute("append", false)
                .add(config.newLayout("PatternLayout")
                        .addAttribute("pattern", "%d{ISO8601} %-5p [%t] %c: %m%n%throwable")));
        config.add(config.newRootLogger(org.apache.logging.log4j.Level.INFO).add(config.newAppenderRef("file")));
        Configurator.reconfigure(config.build());
        LogManager.getLogManager().reset();
        java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
        root.setLevel(Level.INFO);
        root.addHandler(new ToSlf4j());
    }

    /** A java.util.logging handler that hands every record to the slf4j logger of the same name. */
    private static final class ToSlf4j extends Handler {

        @Override
        public void publish(LogRecord record) {
            if (record == null || !isLoggable(record)) {
                return;
            }
            Logger logger = LoggerFactory.getLogger(record.getLoggerName() == null ? "jul" : record.getLoggerName());
            String message = record.getMessage();
            if (record.getParameters() != null && record.getParameters().length > 0 && message != null) {
                try {
                    message = java.text.MessageFormat.format(message, record.getParameters());
                } catch (IllegalArgumentException e) {
                    // Not a pattern after all: the message as written is the best there is.
                }
            }
            int level = record.getLevel().intValue();
            if (level >= Level.SEVERE.intValue()) {
                logger.error(message, record.getThrown());
            } else if (level >= Level.WARNING.intValue()) {
                logger.warn(message, record.getThrown());
            } else if (level >= Level.INFO.intValue()) {
                logger.info(message, record.getThrown());
            } else {
                logger.debug(message, record.getThrown());
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }
}
