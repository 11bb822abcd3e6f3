package dev.sonde.cli.console.commands;

import dev.sonde.cli.console.ConsoleCommands;
import dev.sonde.core.session.Session;

/**
 * What a command works with: the session, the console's settings, the selected thread and frame, and the table of
 * commands ({@code help} reads it).
 */
public record CommandContext(Session session, ConsoleCommands.Settings settings, Selection selection, CommandTable commands) {
}
