package org.rlhf4j.data.internal;

import java.math.BigInteger;
import java.util.regex.Pattern;

/**
 * A JSON number kept as its literal text, so that {@code 2} and {@code 2.0} stay distinguishable.
 *
 * @param literal the number exactly as written in the source
 */
public record JsonNumber(String literal) {

    private static final Pattern INTEGER_LITERAL = Pattern.compile("-?(0|[1-9][0-9]*)");

    /** Tells whether the literal has neither a fraction nor an exponent. */
    public boolean isIntegerLiteral() {
        return INTEGER_LITERAL.matcher(literal).matches();
    }

    /**
     * Returns the value of an integer literal.
     *
     * @throws IllegalStateException when the literal is not an integer literal
     */
    public BigInteger bigIntegerValue() {
        if (!isIntegerLiteral()) {
            throw new IllegalStateException("not an integer literal: " + literal);
        }
        return new BigInteger(literal);
    }

    @Override
    public String toString() {
        return literal;
    }
}
