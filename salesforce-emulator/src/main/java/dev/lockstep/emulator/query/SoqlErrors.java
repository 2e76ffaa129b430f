package dev.lockstep.emulator.query;

import dev.lockstep.emulator.org.OrgException;

/**
 * Builds SOQL errors the way Salesforce words them: the offending line of the query, a caret under the token,
 * {@code ERROR at Row:r:Column:c} and the message, all in one {@code message} string that clients print as is.
 */
final class SoqlErrors {

    static final String MALFORMED_QUERY = "MALFORMED_QUERY";
    static final String INVALID_FIELD = "INVALID_FIELD";
    static final String INVALID_TYPE = "INVALID_TYPE";
    static final String INVALID_QUERY_FILTER_OPERATOR = "INVALID_QUERY_FILTER_OPERATOR";

    /** Lines longer than this are cut around the error, as Salesforce shows only the neighbourhood. */
    private static final int WINDOW = 60;

    private final String soql;

    SoqlErrors(String soql) {
        this.soql = soql;
    }

    OrgException at(Token token, String errorCode, String message) {
        return at(token.start(), token.row(), token.column(), errorCode, message);
    }

    OrgException at(int offset, int row, int column, String errorCode, String message) {
        int lineStart = offset - (column - 1);
        int lineEnd = soql.indexOf('\n', Math.max(lineStart, 0));
        String line = soql.substring(Math.max(lineStart, 0), lineEnd < 0 ? soql.length() : lineEnd).stripTrailing();
        int caret = column - 1;
        if (line.length() > 2 * WINDOW) {
            int from = Math.max(0, caret - WINDOW);
            int to = Math.min(line.length(), caret + WINDOW);
            line = line.substring(from, to);
            caret -= from;
        }
        String text = "\n" + line + "\n" + " ".repeat(Math.max(caret, 0)) + "^\nERROR at Row:" + row + ":Column:"
                + column + "\n" + message;
        return new OrgException(400, errorCode, text);
    }

    OrgException unexpected(Token token) {
        return at(token, MALFORMED_QUERY, "unexpected token: '" + token.display() + "'");
    }

    static String noSuchColumn(String field, String entity) {
        return "No such column '" + field + "' on entity '" + entity + "'. If you are attempting to use a custom"
                + " field, be sure to append the '__c' after the custom field name. Please reference your WSDL or"
                + " the describe call for the appropriate names.";
    }

    static String badRelationshipInPath(String relationship) {
        return "Didn't understand relationship '" + relationship + "' in field path. If you are attempting to use a"
                + " custom relationship, be sure to append the '__r' after the custom relationship name. Please"
                + " reference your WSDL or the describe call for the appropriate names.";
    }

    static String badRelationshipInFrom(String relationship) {
        return "Didn't understand relationship '" + relationship + "' in FROM part of query call. If you are"
                + " attempting to use a custom relationship, be sure to append the '__r' after the custom relationship"
                + " name. Please reference your WSDL or the describe call for the appropriate names.";
    }

    static String unsupportedType(String object) {
        return "sObject type '" + object + "' is not supported. If you are attempting to use a custom object, be sure"
                + " to append the '__c' after the entity name. Please reference your WSDL or the describe call for the"
                + " appropriate names.";
    }
}
