package dev.lockstep.emulator.junit;

import dev.lockstep.emulator.Emulator;
import dev.lockstep.emulator.EmulatorConfig;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One Salesforce emulator per test class, listening on a free port:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final EmulatorExtension SALESFORCE = new EmulatorExtension();   // or new EmulatorExtension(config)
 * ... SALESFORCE.emulator().baseUri() ...
 * }</pre>
 *
 * Test methods may also take an {@link Emulator} parameter. Faults armed by one test are cleared before the next
 * class, not between methods; tests that arm faults should disarm what they did not use.
 */
public final class EmulatorExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {

    private final EmulatorConfig config;
    private Emulator emulator;

    public EmulatorExtension() {
        this(EmulatorConfig.defaults());
    }

    public EmulatorExtension(EmulatorConfig config) {
        this.config = config;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        emulator = Emulator.start(config);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (emulator != null) {
            emulator.close();
            emulator = null;
        }
    }

    /** The running emulator (between beforeAll and afterAll). */
    public Emulator emulator() {
        if (emulator == null) {
            throw new IllegalStateException("The emulator runs only while the test class runs; register the "
                    + "extension as a static field with @RegisterExtension");
        }
        return emulator;
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Emulator.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return emulator();
    }
}
