package dev.lockstep.salesforce.client.streaming;

/**
 * The Change Data Capture channel of one object, the same name for Pub/Sub topics and CometD channels:
 * {@code /data/AccountChangeEvent} for a standard object, {@code /data/Invoice__ChangeEvent} for the custom object
 * {@code Invoice__c}. It exists once the object is selected for Change Data Capture.
 */
public final class ChangeEventChannel {

    private ChangeEventChannel() {
    }

    /** The channel of {@code object} (an API name). */
    public static String of(String object) {
        String base = object.endsWith("__c") ? object.substring(0, object.length() - 3) + "__" : object;
        return "/data/" + base + "ChangeEvent";
    }
}
