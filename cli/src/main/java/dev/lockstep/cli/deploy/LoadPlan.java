package dev.lockstep.cli.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lockstep.cli.connect.ConnectorConfigs;
import dev.lockstep.cli.mapping.Mapping;
import dev.lockstep.source.SalesforceSourceConnector;
import dev.lockstep.source.task.LoadOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.stream.Collectors;

/**
 * How a deployment's Salesforce sources load the mapped objects: the references between them (the mapped reference
 * fields of each object's describe), and the order each source task snapshots its objects in, parents first. The
 * order is the source connector's own ({@link LoadOrder}, the task assignment of {@link
 * SalesforceSourceConnector#assignObjects}), computed for the connectors {@link ConnectorConfigs} makes, so what
 * this shows is what the connectors do.
 *
 * @param references every mapped reference field of the mapped objects, one per target, with what it means for loading
 * @param cycles groups of objects that refer to each other, each in load order
 * @param tasks each source task's objects in load order
 */
public record LoadPlan(List<Reference> references, List<List<String>> cycles, List<Task> tasks) {

    public LoadPlan {
        references = List.copyOf(references);
        cycles = List.copyOf(cycles);
        tasks = List.copyOf(tasks);
    }

    /** What a reference means for loading. */
    public enum Kind {
        /** The target is loaded first, in the same task. */
        PARENT("parent"),
        /** A lookup of an object to itself: its records load in one snapshot, in no particular order. */
        SELF("self-lookup"),
        /** Ignored to break a cycle: the target is loaded after the object holding the field. */
        CYCLE("cycle, ignored while loading"),
        /** The target is read by another task (or source connector): both load at the same time, in no order. */
        UNORDERED("other task, no order"),
        /** The target object is not mapped: its records are not synced. */
        UNMAPPED("not mapped");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        /** A short phrase for tables. */
        public String label() {
            return label;
        }

        /** The JSON spelling: {@code parent}, {@code self}, {@code cycle}, {@code unordered}, {@code unmapped}. */
        public String value() {
            return this == SELF ? "self" : name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One target of one mapped reference field.
     *
     * @param object the mapped object holding the field, e.g. {@code Contact}
     * @param field the reference field, e.g. {@code AccountId}
     * @param target the object it points at, e.g. {@code Account}
     * @param kind what it means for loading
     */
    public record Reference(String object, String field, String target, Kind kind) {

        @Override
        public String toString() {
            return object + "." + field + " → " + target;
        }
    }

    /**
     * One source task.
     *
     * @param connector the source connector's name
     * @param task the task number, from 0
     * @param order its objects, in the order it snapshots them
     */
    public record Task(String connector, int task, List<String> order) {

        public Task {
            order = List.copyOf(order);
        }
    }

    /**
     * The load plan of resolved mappings.
     *
     * @param mappings the mappings resolved against describe ({@code MappingCheck}), so their fields are the synced
     *     ones, spelt as describe spells them
     * @param describes the describe of each mapped object, by the object name of the resolved mappings
     * @param sourceName the name of the Salesforce source connector ({@link ConnectorConfigs#sourceName})
     * @param maxTasks the source's {@code tasks.max}
     */
    public static LoadPlan of(List<Mapping> mappings, Map<String, JsonNode> describes, String sourceName,
            int maxTasks) {
        List<String> objects = ConnectorConfigs.objects(mappings);
        LoadOrder all = LoadOrder.of(select(describes, objects), synced(mappings));

        List<Task> tasks = new ArrayList<>();
        Map<Task, LoadOrder> orders = new LinkedHashMap<>();
        ConnectorConfigs.sources(mappings, sourceName).forEach((connector, group) -> {
            List<List<String>> assigned = SalesforceSourceConnector.assignObjects(ConnectorConfigs.objects(group),
                    maxTasks);
            for (int i = 0; i < assigned.size(); i++) {
                LoadOrder order = LoadOrder.of(select(describes, assigned.get(i)), synced(group));
                Task task = new Task(connector, i, order.order());
                tasks.add(task);
                orders.put(task, order);
            }
        });

        List<Reference> references = new ArrayList<>();
        for (LoadOrder.Reference r : all.references()) {
            references.add(new Reference(r.object(), r.field(), r.target(), kind(r, objects, orders)));
        }
        return new LoadPlan(references, all.cycles(), tasks);
    }

    private static Kind kind(LoadOrder.Reference reference, List<String> objects, Map<Task, LoadOrder> orders) {
        if (reference.self()) {
            return Kind.SELF;
        }
        if (!objects.contains(reference.target())) {
            return Kind.UNMAPPED;
        }
        for (Map.Entry<Task, LoadOrder> task : orders.entrySet()) {
            List<String> order = task.getKey().order();
            if (order.contains(reference.object()) && order.contains(reference.target())) {
                return task.getValue().ignored().contains(reference) ? Kind.CYCLE : Kind.PARENT;
            }
        }
        return Kind.UNORDERED;
    }

    private static Map<String, JsonNode> select(Map<String, JsonNode> describes, List<String> objects) {
        Map<String, JsonNode> selected = new LinkedHashMap<>();
        for (String object : objects) {
            JsonNode describe = describes.get(object);
            if (describe == null) {
                throw new IllegalArgumentException("no describe of " + object + " among " + describes.keySet());
            }
            selected.put(object, describe);
        }
        return selected;
    }

    /** Whether a field of an object is synced by any of the mappings (API names compare case-insensitively). */
    private static BiPredicate<String, String> synced(List<Mapping> mappings) {
        Map<String, Set<String>> fields = new LinkedHashMap<>();
        for (Mapping mapping : mappings) {
            fields.computeIfAbsent(mapping.objectName(), o -> new java.util.HashSet<>()).addAll(mapping.fields()
                    .stream().map(f -> f.toLowerCase(Locale.ROOT)).collect(Collectors.toSet()));
        }
        return (object, field) -> fields.getOrDefault(object, Set.of()).contains(field.toLowerCase(Locale.ROOT));
    }

    /** The references of one kind. */
    public List<Reference> references(Kind kind) {
        return references.stream().filter(r -> r.kind() == kind).toList();
    }
}
