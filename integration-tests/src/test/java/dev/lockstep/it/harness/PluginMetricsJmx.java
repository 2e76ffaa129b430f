package dev.lockstep.it.harness;

import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import javax.management.JMException;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Reads the plugin metrics a connector's tasks register (Kafka's {@code PluginMetrics}: group {@code plugins},
 * tagged with the connector and task by the worker), as an operator's JMX console sees them. The embedded workers
 * run in the test's JVM, so their JMX reporter writes to the platform MBean server.
 */
public final class PluginMetricsJmx {

    private static final String PATTERN = "kafka.connect:type=plugins,*";

    private PluginMetricsJmx() {}

    /** Every plugin metrics MBean name now registered, for failure messages. */
    public static Set<String> names() {
        try {
            Set<String> names = new TreeSet<>();
            server().queryNames(new ObjectName(PATTERN), null).forEach(n -> names.add(n.toString()));
            return names;
        } catch (JMException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The attributes (metric name → value) of the one plugin MBean of {@code connector} whose tags include
     * {@code tagKey=tagValue} (e.g. {@code object=Account}).
     *
     * @throws AssertionError when there is none or several
     */
    public static Map<String, Object> of(String connector, String tagKey, String tagValue) {
        MBeanServer server = server();
        try {
            Set<ObjectName> matching = server.queryNames(new ObjectName(PATTERN), null).stream()
                    .filter(n -> connector.equals(n.getKeyProperty("connector"))
                            && tagValue.equals(n.getKeyProperty(tagKey)))
                    .collect(java.util.stream.Collectors.toSet());
            if (matching.size() != 1) {
                throw new AssertionError("Expected one plugin metrics MBean of connector " + connector + " with "
                        + tagKey + "=" + tagValue + ", found " + matching + " among " + names());
            }
            ObjectName name = matching.iterator().next();
            Map<String, Object> values = new LinkedHashMap<>();
            for (MBeanAttributeInfo attribute : server.getMBeanInfo(name).getAttributes()) {
                values.put(attribute.getName(), server.getAttribute(name, attribute.getName()));
            }
            values.put("objectName", name.toString());
            return values;
        } catch (JMException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The values of one metric of the source reader for {@code object}, one per task reporting it (none while no
     * task does). Tag values may come quoted; they are compared unquoted.
     */
    public static java.util.List<Object> values(String connector, String object, String metric) {
        MBeanServer server = server();
        java.util.List<Object> values = new java.util.ArrayList<>();
        try {
            for (ObjectName name : server.queryNames(new ObjectName(PATTERN), null)) {
                if (connector.equals(unquote(name.getKeyProperty("connector")))
                        && object.equals(unquote(name.getKeyProperty("object")))) {
                    values.add(server.getAttribute(name, metric));
                }
            }
        } catch (JMException e) {
            throw new IllegalStateException("Cannot read metric " + metric + " of " + connector + "/" + object, e);
        }
        return values;
    }

    private static String unquote(String value) {
        return value != null && value.length() > 1 && value.startsWith("\"") ? ObjectName.unquote(value) : value;
    }

    private static MBeanServer server() {
        return ManagementFactory.getPlatformMBeanServer();
    }
}
