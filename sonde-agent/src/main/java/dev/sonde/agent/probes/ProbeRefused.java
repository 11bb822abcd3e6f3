package dev.sonde.agent.probes;

/** A probe that cannot be set; the message is the one sentence the user sees. */
public final class ProbeRefused extends RuntimeException {

    public ProbeRefused(String sentence) {
        super(sentence, null, false, false);
    }
}
