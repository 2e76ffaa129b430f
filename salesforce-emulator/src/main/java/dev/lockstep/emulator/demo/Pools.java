package dev.lockstep.emulator.demo;

import java.text.Normalizer;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The word lists demo records are drawn from: international names (accents included, as real orgs have them),
 * company words, places with consistent city, state, postal code, country and coordinates, and phrases with
 * accents and emoji for the text fields of {@code Sync_Sample__c}. Strings from here are shared by every record
 * that uses them, which keeps a million generated records light.
 */
final class Pools {

    private Pools() {}

    /** A city with its state, postal code prefix, country and coordinates. */
    record Place(String city, String state, String stateCode, String postalCode, String country,
            String countryCode, double latitude, double longitude, String phonePrefix) {}

    static final List<Place> PLACES = List.of(
            new Place("San Francisco", "California", "CA", "941", "United States", "US", 37.7749, -122.4194, "+1 415"),
            new Place("New York", "New York", "NY", "100", "United States", "US", 40.7128, -74.0060, "+1 212"),
            new Place("Austin", "Texas", "TX", "787", "United States", "US", 30.2672, -97.7431, "+1 512"),
            new Place("Chicago", "Illinois", "IL", "606", "United States", "US", 41.8781, -87.6298, "+1 312"),
            new Place("Seattle", "Washington", "WA", "981", "United States", "US", 47.6062, -122.3321, "+1 206"),
            new Place("Toronto", "Ontario", "ON", "M5V", "Canada", "CA", 43.6532, -79.3832, "+1 416"),
            new Place("Montréal", "Québec", "QC", "H2Y", "Canada", "CA", 45.5017, -73.5673, "+1 514"),
            new Place("Paris", "Île-de-France", "IDF", "750", "France", "FR", 48.8566, 2.3522, "+33 1"),
            new Place("Lyon", "Auvergne-Rhône-Alpes", "ARA", "690", "France", "FR", 45.7640, 4.8357, "+33 4"),
            new Place("München", "Bayern", "BY", "803", "Germany", "DE", 48.1351, 11.5820, "+49 89"),
            new Place("Köln", "Nordrhein-Westfalen", "NW", "506", "Germany", "DE", 50.9375, 6.9603, "+49 221"),
            new Place("London", "England", "ENG", "EC1", "United Kingdom", "GB", 51.5074, -0.1278, "+44 20"),
            new Place("Madrid", "Comunidad de Madrid", "MD", "280", "Spain", "ES", 40.4168, -3.7038, "+34 91"),
            new Place("São Paulo", "São Paulo", "SP", "010", "Brazil", "BR", -23.5505, -46.6333, "+55 11"),
            new Place("Tokyo", "Tokyo", "13", "100", "Japan", "JP", 35.6762, 139.6503, "+81 3"),
            new Place("Sydney", "New South Wales", "NSW", "200", "Australia", "AU", -33.8688, 151.2093, "+61 2"));

    static final List<String> STREETS = List.of("Market Street", "Main Street", "Rue de Rivoli", "Königsallee",
            "Calle de Alcalá", "Avenida Paulista", "King Street West", "Oak Avenue", "Elm Street", "Harbour Road",
            "Rue Sainte-Catherine", "Maximilianstraße", "Baker Street", "Pine Street", "Chūō-dōri", "George Street");

    static final List<String> FIRST_NAMES = List.of("Ana", "Björn", "Chloé", "Dmitri", "Émilie", "Farid", "Greta",
            "Hiroshi", "Inès", "Jonas", "Kateřina", "Liam", "Maëlle", "Noah", "Olga", "Pablo", "Quentin", "Renée",
            "Søren", "Tomás", "Ursula", "Valentina", "Wei", "Ximena", "Yusuf", "Zoë", "Amara", "Bruno", "Camille",
            "Diego", "Elif", "François", "Giulia", "Hannah", "Ivan", "Jürgen", "Keiko", "Lucía", "Mateo", "Nadia");

    static final List<String> LAST_NAMES = List.of("Müller", "García", "Nguyen", "O'Brien", "Smith", "Dubois",
            "Rossi", "Kowalski", "Tanaka", "Andersson", "Fernández", "Jensen", "Novák", "Silva", "Johnson", "Lefèvre",
            "Schröder", "Popescu", "Yılmaz", "Kim", "Papadopoulos", "Costa", "Martin", "Brown", "Øverland",
            "Dvořák", "Moreau", "Williams", "Sato", "Ivanova", "Lopez", "Becker", "Hernández", "Wilson", "Nakamura");

    static final List<String> SALUTATIONS_FALLBACK = List.of("Mr.", "Ms.", "Dr.");

    static final List<String> COMPANY_WORDS = List.of("Acme", "Globex", "Initech", "Umbrella", "Stark", "Wayne",
            "Hooli", "Vandelay", "Soylent", "Tyrell", "Cyberdyne", "Wonka", "Aperture", "Nakatomi", "Oscorp",
            "Pied Piper", "Massive Dynamic", "Gringotts", "Monarch", "Virtucon", "Blue Sun", "Zorg", "Prestige",
            "Dunder Mifflin", "Sterling Cooper", "Bluth", "Krusty", "Los Pollos", "Nordlicht", "Crème Fraîche");

    static final List<String> COMPANY_KINDS = List.of("Logistics", "Systems", "Foods", "Analytics", "Energy",
            "Pharma", "Robotics", "Textiles", "Media", "Consulting", "Biotech", "Aerospace", "Retail", "Finance");

    static final List<String> COMPANY_SUFFIXES = List.of("Inc.", "LLC", "GmbH", "SARL", "Ltd", "AG", "S.A.",
            "K.K.", "Pty Ltd", "Corp.");

    static final List<String> TITLES = List.of("CEO", "CFO", "CTO", "VP Sales", "VP Engineering",
            "Head of Procurement", "IT Manager", "Directrice commerciale", "Einkaufsleiter", "Data Engineer",
            "Operations Manager", "Account Executive", "Marketing Lead", "Product Owner");

    static final List<String> DEPARTMENTS = List.of("Sales", "Finance", "Engineering", "Operations", "Marketing",
            "Procurement", "IT", "Support", "Legal");

    static final List<String> PRODUCT_NAMES = List.of("Sync Engine", "Data Bridge", "Event Relay", "Schema Guard",
            "Replay Vault", "Stream Gateway", "Delta Loader", "Conflict Resolver", "Audit Trail", "Bulk Mover");

    static final List<String> PRODUCT_EDITIONS = List.of("Starter", "Team", "Business", "Enterprise", "Unlimited");

    static final List<String> OPPORTUNITY_KINDS = List.of("New logo", "Renewal", "Upsell", "Expansion",
            "Migration", "Pilot", "Platform deal", "Add-on licences");

    static final List<String> CASE_SUBJECTS = List.of("Sync stopped after password reset",
            "Duplicate contacts after import", "Cannot log in to the portal", "Invoice amount looks wrong",
            "Données manquantes dans le rapport", "Fehlermeldung beim Export", "API limit exceeded overnight",
            "Shipment delayed", "Feature request: dark mode", "Field values truncated");

    static final List<String> EVENT_SUBJECTS = List.of("Kick-off meeting", "Product demo", "Quarterly review",
            "Déjeuner d'affaires", "Workshop", "Contract signature", "Onboarding call");

    static final List<String> TASK_SUBJECTS = List.of("Call", "Email", "Send Letter", "Send Quote",
            "Follow up on proposal", "Prepare renewal");

    static final List<String> CAMPAIGN_NAMES = List.of("Spring Webinar Series", "Dreamforce Booth",
            "Q3 Email Nurture", "Partner Summit", "Salon VivaTech", "Hannover Messe", "Customer Advisory Board",
            "Holiday Promo", "Developer Meetup", "Retargeting Ads");

    static final List<String> MEETING_PLACES = List.of("Zoom", "Google Meet", "HQ – Room Ada", "Café de Flore",
            "Customer office", "Teams");

    /** Text with accents, non-Latin scripts and emoji (some of several code points), for round-trip tests. */
    static final List<String> UNICODE_PHRASES = List.of("Crème brûlée ☕", "Smörgåsbord 🍣", "Déjà vu 🔁",
            "Jalapeño 🌶️", "Größe XXL 👕", "Œuvre complète 📚", "Ça va ? 😀", "Čeština 🇨🇿", "日本語のテキスト 🗾",
            "Ελληνικά 🏛️", "Straße 🚗", "Добрый день 👋", "مرحبا 🌙", "Família 👨‍👩‍👧", "Zürich ❄️");

    static final List<String> SENTENCES = List.of(
            "The customer asked for a weekly sync of all open opportunities.",
            "Les données sont répliquées vers Postgres toutes les cinq minutes.",
            "Die Schnittstelle läuft stabil seit dem letzten Update.",
            "Renewal discussed with procurement; waiting on budget approval.",
            "Escalated twice — needs an owner before Friday ✅.",
            "El equipo de ventas confirmó la reunión del jueves.",
            "Notes from the call: prefers email, avoid Mondays 📅.",
            "Contract includes 24/7 support & a 99.9 % uptime SLA.");

    /** An element of {@code list} chosen by {@code random}. */
    static <T> T any(Random random, List<T> list) {
        return list.get(random.nextInt(list.size()));
    }

    /** Slugs of the words above, computed once: the pools are small and slugs are asked for on every record. */
    private static final Map<String, String> SLUGS = new ConcurrentHashMap<>();

    /** Lower-case ASCII for e-mail addresses and user names: accents dropped, other characters removed. */
    static String slug(String text) {
        return SLUGS.computeIfAbsent(text, Pools::toSlug);
    }

    private static String toSlug(String text) {
        String plain = Normalizer.normalize(text, Normalizer.Form.NFD).replaceAll("\\p{M}", "");
        return plain.toLowerCase(Locale.ROOT).replace("ø", "o").replace("ß", "ss").replace("ı", "i")
                .replaceAll("[^a-z0-9]+", "");
    }
}
