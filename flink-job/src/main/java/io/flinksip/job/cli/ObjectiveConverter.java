package io.flinksip.job.cli;

import io.flinksip.job.config.SipOptions;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.util.Locale;

/** {@code dpo}, {@code rf-nll} or {@code rf_nll}, in any case. */
final class ObjectiveConverter implements ITypeConverter<SipOptions.SipObjective> {
    @Override
    public SipOptions.SipObjective convert(String value) {
        try {
            return SipOptions.SipObjective.valueOf(value.replace('-', '_').toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException("expected dpo or rf-nll, got '" + value + "'");
        }
    }
}
