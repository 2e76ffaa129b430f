package dev.lockstep.emulator.auth;

import dev.lockstep.emulator.org.Org;
import dev.lockstep.emulator.org.RecordView;
import dev.lockstep.emulator.org.SObjectDef;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * A snapshot of one {@code User} record, with what the OAuth endpoints need to log the user in and to describe
 * them (identity URL, userinfo). Taken under the org's read lock, so it stays consistent after the lock is gone.
 */
record OrgUser(String id, String username, String firstName, String lastName, String name, String email,
        String nickname, boolean active, String userType, String timeZone, String locale, String language,
        String street, String city, String state, String postalCode, String country, String mobilePhone,
        Instant lastModified) {

    /** A live user by login name; Salesforce usernames are case-insensitive. */
    static Optional<OrgUser> byUsername(Org org, String username) {
        if (username == null || username.isBlank()) {
            return Optional.empty();
        }
        return org.read(o -> {
            SObjectDef user = o.schema().require("User");
            for (RecordView view : o.records(user, false)) {
                Object name = view.get("Username");
                if (name instanceof String s && s.equalsIgnoreCase(username.trim())) {
                    return Optional.of(of(view));
                }
            }
            return Optional.empty();
        });
    }

    /** A live user by 15- or 18-character Id. */
    static Optional<OrgUser> byId(Org org, String id) {
        return org.read(o -> o.view(id)
                .filter(v -> !v.isDeleted() && v.def().name().equals("User"))
                .map(OrgUser::of));
    }

    private static OrgUser of(RecordView v) {
        String username = string(v, "Username");
        String first = string(v, "FirstName");
        String last = string(v, "LastName");
        String name = string(v, "Name");
        if (name == null) {
            name = first == null ? last : first + " " + last;
        }
        String nickname = string(v, "CommunityNickname");
        if (nickname == null && username != null) {
            // Salesforce derives the default nickname from the username's local part.
            int at = username.indexOf('@');
            nickname = at < 0 ? username : username.substring(0, at);
        }
        String userType = string(v, "UserType");
        Object active = v.get("IsActive");
        Object modified = v.get("LastModifiedDate");
        return new OrgUser(v.id(), username, first, last, name, string(v, "Email"), nickname,
                !Boolean.FALSE.equals(active),
                // The identity service spells the picklist value in capitals: Standard -> STANDARD.
                userType == null ? "STANDARD" : userType.toUpperCase(Locale.ROOT),
                orDefault(string(v, "TimeZoneSidKey"), "GMT"), orDefault(string(v, "LocaleSidKey"), "en_US"),
                orDefault(string(v, "LanguageLocaleKey"), "en_US"), string(v, "Street"), string(v, "City"),
                string(v, "State"), string(v, "PostalCode"), string(v, "Country"), string(v, "MobilePhone"),
                modified instanceof Instant i ? i : null);
    }

    private static String string(RecordView v, String field) {
        Object value = v.get(field);
        return value == null ? null : value.toString();
    }

    private static String orDefault(String value, String fallback) {
        return value == null || value.isEmpty() ? fallback : value;
    }
}
