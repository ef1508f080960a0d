package dev.aimle.app.options;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads a number option and refuses what is not a finite number ({@code 1e309} overflows to
 * infinity, {@code NaN} parses): such a value would end up in a run's spec and make its directory
 * unusable. Registered for {@code double} on every sweep command, so every number flag is checked.
 */
public final class FiniteDouble implements ITypeConverter<Double> {
    @Override
    public Double convert(String value) {
        double d;
        try {
            d = Double.parseDouble(value.strip());
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + value + "' is not a number");
        }
        if (!Double.isFinite(d)) {
            throw new TypeConversionException("'" + value + "' is not a finite number (it reads as " + d
                    + "); give a value between -1.8e308 and 1.8e308");
        }
        return d;
    }
}
