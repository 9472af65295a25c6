package io.zerolock.check.rules;

import io.zerolock.check.Severity;
import io.zerolock.check.recognize.Action;
import io.zerolock.check.recognize.Recognized;
import java.util.Optional;

/** ZL025 domain-check: ALTER DOMAIN . */
public final class DomainCheck extends Rule {

    public DomainCheck() {
        super("ZL025", "domain-check", Severity.WARNING, 11,
                "ALTER DOMAIN ... ADD CHECK checks every column of every table that uses the domain, holding locks that block writes to them.",
                "ALTER DOMAIN <domain> ADD CONSTRAINT <name> CHECK (...) NOT VALID;\nALTER DOMAIN <domain> VALIDATE CONSTRAINT <name>;");
    }

    @Override
    public Optional<String> check(Context context) {
        if (context.recognized() instanceof Recognized.DomainCheck check && !check.create() && !check.notValid()) {
            return Optional.of("CHECK added to domain " + check.domain() + " without NOT VALID");
        }
        return Optional.empty();
    }
}
