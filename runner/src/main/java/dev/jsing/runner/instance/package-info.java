/**
 * Instances: containers that run detached under their init ({@code instance start|run}), listed, stopped, measured
 * ({@code instance list|stop|stats}) and entered ({@code exec instance://NAME}). State per user and host, in {@link
 * InstanceDirs}; the processes are the starter's ({@code runner/src/main/c/init.c}).
 */
package dev.jsing.runner.instance;
