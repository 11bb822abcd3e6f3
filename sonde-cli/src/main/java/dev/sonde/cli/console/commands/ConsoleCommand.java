package dev.sonde.cli.console.commands;

import dev.sonde.cli.console.Reply;

/**
 * One console command: what {@code help} says about it, and what it does. Every command is registered in
 * {@link CommandTable#standard()}; a new command is a new class and one line there.
 */
public interface ConsoleCommand {

    Description description();

    /**
     * Runs the command with the text after its name (possibly empty). Bad input and states that do not fit throw a
     * {@link dev.sonde.core.error.SondeException} whose message is one sentence saying what to do.
     */
    Reply run(String argument, CommandContext context);
}
