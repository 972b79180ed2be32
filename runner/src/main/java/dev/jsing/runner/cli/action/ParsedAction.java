package dev.jsing.runner.cli.action;

import dev.jsing.runner.launch.LaunchRequest;

/**
 * What an action's command line asked for: a launch, or its help.
 *
 * @param action the action
 * @param request the launch request, or null when {@code help} is set
 * @param help {@code -h}/{@code --help} was given
 */
public record ParsedAction(Action action, LaunchRequest request, boolean help) {}
