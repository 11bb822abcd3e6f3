package dev.sonde.core.model;

import java.util.List;

/** The variables of one frame ({@code this}, arguments, locals), as captured. */
public record FrameLocals(int frameIndex, List<Variable> variables) {

    public FrameLocals {
        variables = List.copyOf(variables);
    }
}
