package dev.signet.core.store;

/**
 * The config table as one port: workspaces with their credentials, and endpoints with their failure
 * streaks. Users take the narrow port they need; wiring hands them this one.
 */
public interface ConfigStore extends WorkspaceStore, EndpointStore {
}
