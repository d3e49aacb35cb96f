namespace Cluster.Crm.Execd;

/// <summary>The executor's timers: a run's timeout, or the wait before a recurring op runs again.</summary>
public abstract record ExecutorTimer;

/// <summary>Fires when run <paramref name="RunId"/> has taken longer than its timeout.</summary>
public sealed record RunTimeout(long RunId) : ExecutorTimer;

/// <summary>Fires when recurring operation <paramref name="CallId"/> is due again.</summary>
public sealed record RecurringDue(long CallId) : ExecutorTimer;
