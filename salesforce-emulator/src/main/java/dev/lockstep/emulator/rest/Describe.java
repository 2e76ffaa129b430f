package dev.lockstep.emulator.rest;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lockstep.emulator.org.FieldDef;
import dev.lockstep.emulator.org.FieldType;
import dev.lockstep.emulator.org.SObjectDef;
import dev.lockstep.emulator.org.Schema;

/**
 * describeGlobal and sObject describe bodies, with every key the reference lists. Keys the fixtures do not carry are
 * derived from the field's type the way real describes show them (byteLength, soapType, filterable, ...).
 */
final class Describe {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Describe() {}

    static ObjectNode global(Schema schema, String prefix) {
        ObjectNode body = NODES.objectNode();
        body.put("encoding", "UTF-8");
        body.put("maxBatchSize", 200);
        ArrayNode sobjects = body.putArray("sobjects");
        for (SObjectDef def : schema.objects()) {
            sobjects.add(summary(def, prefix));
        }
        return body;
    }

    /** The describeGlobal entry of one object, also the {@code objectDescribe} of {@code GET /sobjects/{Obj}}. */
    static ObjectNode summary(SObjectDef def, String prefix) {
        ObjectNode o = NODES.objectNode();
        o.put("activateable", false);
        o.put("createable", def.createable());
        o.put("custom", def.custom());
        o.put("customSetting", false);
        o.put("deletable", def.deletable());
        o.put("deprecatedAndHidden", false);
        o.put("feedEnabled", !def.custom());
        o.put("hasSubtypes", false);
        o.put("isSubtype", false);
        o.put("keyPrefix", def.keyPrefix());
        o.put("label", def.label());
        o.put("labelPlural", def.labelPlural());
        o.put("layoutable", true);
        o.put("mergeable", def.name().equals("Account") || def.name().equals("Contact")
                || def.name().equals("Lead"));
        o.put("mruEnabled", true);
        o.put("name", def.name());
        o.put("queryable", def.queryable());
        o.put("replicateable", def.replicateable());
        o.put("retrieveable", true);
        o.put("searchable", true);
        o.put("triggerable", true);
        o.put("undeletable", def.deletable());
        o.put("updateable", def.updateable());
        o.set("urls", urls(def, prefix, false));
        return o;
    }

    private static ObjectNode urls(SObjectDef def, String prefix, boolean full) {
        String base = prefix + "/sobjects/" + def.name();
        ObjectNode urls = NODES.objectNode();
        if (full) {
            urls.put("compactLayouts", base + "/describe/compactLayouts");
            urls.put("approvalLayouts", base + "/describe/approvalLayouts");
            urls.put("defaultValues", base + "/defaultValues?recordTypeId&fields");
            urls.put("quickActions", base + "/quickActions");
            urls.put("layouts", base + "/describe/layouts");
            urls.put("uiDetailTemplate", "https://emulator.lightning.force.com/{ID}");
            urls.put("uiEditTemplate", "https://emulator.lightning.force.com/{ID}/e");
            urls.put("uiNewRecord", "https://emulator.lightning.force.com/" + def.keyPrefix() + "/e");
        }
        urls.put("rowTemplate", base + "/{ID}");
        urls.put("describe", base + "/describe");
        urls.put("sobject", base);
        return urls;
    }

    static ObjectNode object(Schema schema, SObjectDef def, String prefix) {
        ObjectNode o = summary(def, prefix);
        o.set("urls", urls(def, prefix, true));
        o.putArray("actionOverrides");
        ArrayNode children = o.putArray("childRelationships");
        for (Schema.ChildRelationship child : schema.childRelationships(def.name())) {
            ObjectNode c = children.addObject();
            c.put("cascadeDelete", child.cascadeDelete());
            c.put("childSObject", child.childSObject());
            c.put("deprecatedAndHidden", false);
            c.put("field", child.field());
            c.putArray("junctionIdListNames");
            c.putArray("junctionReferenceTo");
            c.put("relationshipName", child.relationshipName());
            c.put("restrictedDelete", false);
        }
        o.put("compactLayoutable", true);
        ArrayNode fields = o.putArray("fields");
        for (FieldDef field : def.fields()) {
            fields.add(field(def, field));
        }
        o.put("listviewable", (String) null);
        o.put("lookupLayoutable", (String) null);
        o.putArray("namedLayoutInfos");
        o.put("networkScopeFieldName", (String) null);
        ArrayNode recordTypes = o.putArray("recordTypeInfos");
        ObjectNode master = recordTypes.addObject();
        master.put("active", true);
        master.put("available", true);
        master.put("defaultRecordTypeMapping", true);
        master.put("developerName", "Master");
        master.put("master", true);
        master.put("name", "Master");
        master.put("recordTypeId", "012000000000000AAA");
        master.putObject("urls").put("layout", prefix + "/sobjects/" + def.name()
                + "/describe/layouts/012000000000000AAA");
        o.put("searchLayoutable", true);
        ArrayNode scopes = o.putArray("supportedScopes");
        scopes.addObject().put("label", "All " + def.labelPlural().toLowerCase(java.util.Locale.ROOT))
                .put("name", "everything");
        return o;
    }

    static ObjectNode field(SObjectDef def, FieldDef f) {
        FieldType t = f.type();
        boolean longText = t == FieldType.TEXTAREA && f.length() > 255;
        boolean unsortable = longText || t == FieldType.MULTIPICKLIST || t == FieldType.BASE64 || t.isCompound()
                || t == FieldType.ENCRYPTEDSTRING;
        ObjectNode o = NODES.objectNode();
        o.put("aggregatable", !unsortable && t != FieldType.TEXTAREA);
        o.put("aiPredictionField", false);
        o.put("autoNumber", false);
        o.put("byteLength", f.byteLength());
        o.put("calculated", f.calculated());
        o.put("calculatedFormula", f.calculatedFormula());
        o.put("cascadeDelete", f.isMasterDetail());
        o.put("caseSensitive", f.caseSensitive());
        o.put("compoundFieldName", f.compoundFieldName());
        o.put("controllerName", (String) null);
        o.put("createable", f.createable());
        o.put("custom", f.custom());
        if (t == FieldType.BOOLEAN) {
            o.put("defaultValue", false);
        } else {
            o.put("defaultValue", f.defaultPicklistValue());
        }
        o.put("defaultValueFormula", (String) null);
        o.put("defaultedOnCreate", f.defaultedOnCreate());
        o.put("dependentPicklist", false);
        o.put("deprecatedAndHidden", false);
        o.put("digits", t == FieldType.INT ? Math.max(f.precision(), 9) : 0);
        o.put("displayLocationInDecimal", t == FieldType.LOCATION);
        o.put("encrypted", t == FieldType.ENCRYPTEDSTRING);
        o.put("externalId", f.externalId());
        o.put("extraTypeInfo", f.extraTypeInfo());
        o.put("filterable", !longText && t != FieldType.BASE64 && !t.isCompound() && t != FieldType.ENCRYPTEDSTRING);
        o.put("filteredLookupInfo", (String) null);
        o.put("formulaTreatNullNumberAsZero", false);
        o.put("groupable", !unsortable && t != FieldType.TEXTAREA && t != FieldType.DOUBLE
                && t != FieldType.CURRENCY && t != FieldType.PERCENT && t != FieldType.DATETIME);
        o.put("highScaleNumber", false);
        o.put("htmlFormatted", "richtextarea".equals(f.extraTypeInfo()));
        o.put("idLookup", f.idLookup());
        o.put("inlineHelpText", (String) null);
        o.put("label", f.label());
        o.put("length", f.length());
        o.put("mask", t == FieldType.ENCRYPTEDSTRING ? "X" : null);
        o.put("maskType", t == FieldType.ENCRYPTEDSTRING ? "all" : null);
        o.put("name", f.name());
        o.put("nameField", f.name().equals("Name"));
        o.put("namePointing", f.polymorphicForeignKey());
        o.put("nillable", f.nillable());
        o.put("permissionable", f.custom() && f.nillable());
        ArrayNode picklist = o.putArray("picklistValues");
        for (FieldDef.PicklistValue p : f.picklistValues()) {
            picklist.addObject().put("active", p.active()).put("defaultValue", p.defaultValue())
                    .put("label", p.label()).put("validFor", (String) null).put("value", p.value());
        }
        o.put("polymorphicForeignKey", f.polymorphicForeignKey());
        o.put("precision", f.precision());
        o.put("queryByDistance", t == FieldType.LOCATION);
        o.put("referenceTargetField", (String) null);
        ArrayNode referenceTo = o.putArray("referenceTo");
        f.referenceTo().forEach(referenceTo::add);
        o.put("relationshipName", f.relationshipName());
        if (f.isMasterDetail()) {
            o.put("relationshipOrder", 0);
        } else {
            o.put("relationshipOrder", (Integer) null);
        }
        o.put("restrictedDelete", false);
        o.put("restrictedPicklist", f.restrictedPicklist());
        o.put("scale", f.scale());
        o.put("searchPrefilterable", false);
        o.put("soapType", t.soapType());
        o.put("sortable", !unsortable);
        o.put("type", t.apiName());
        o.put("unique", f.unique());
        o.put("updateable", f.updateable());
        o.put("writeRequiresMasterRead", false);
        return o;
    }
}
