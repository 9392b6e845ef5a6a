using Anvil.Registry.Storage;

namespace Anvil.Registry.Tuning;

/// <summary>
/// Tuning studies in the registry database. A study is opened by name with its definition: the first
/// worker creates it, later workers (other processes, other machines on PostgreSQL) join it, and a
/// worker bringing another definition under the same name is refused, so one study never mixes two spaces.
/// </summary>
/// <example>
/// <code>var study = new StudyStore(database, TimeProvider.System).Open("fmnist", definitionJson);</code>
/// </example>
public sealed class StudyStore(RegistryDatabase db, TimeProvider time)
{
    /// <summary>The study named <paramref name="name"/>, created with <paramref name="definition"/> when new.</summary>
    public Study Open(string name, string definition)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(definition);
        var study = db.Write(session =>
        {
            session.Execute(
                "INSERT INTO studies (id, name, definition, created_at) VALUES (@id, @name, @definition, @now) ON CONFLICT (name) DO NOTHING",
                ("@id", Ids.New(time)), ("@name", name), ("@definition", definition), ("@now", TimeText.From(time.GetUtcNow())));
            return Read(session, name)!;
        });
        if (study.Definition != definition)
            throw new RegistryException($"Study '{name}' already exists with another definition; give the changed study file a new name, or run the file it was created with.");
        return study;
    }

    /// <summary>The study named <paramref name="name"/>; a user error naming the command that creates one when there is none.</summary>
    public Study Get(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return db.Read(session => Read(session, name))
            ?? throw new RegistryException($"No study is named '{name}'. Start one with ./anvil tune --study FILE --trials N.");
    }

    /// <summary>
    /// The studies holding a trial whose run belongs to <paramref name="organizationId"/>, by name. A study is shared by
    /// name; an organization owns the trials it ran (their runs carry the organization).
    /// </summary>
    public IReadOnlyList<Study> OfOrganization(string organizationId)
    {
        ArgumentNullException.ThrowIfNull(organizationId);
        return db.Read(session => session.Query(
            "SELECT s.id, s.name, s.definition, s.created_at FROM studies s WHERE EXISTS (SELECT 1 FROM trials t JOIN runs r ON r.id = t.run_id " +
            "WHERE t.study_id = s.id AND r.organization_id = @org) ORDER BY s.name",
            r => new Study(r.GetString(0), r.GetString(1), r.GetString(2), r.GetTime(3)), ("@org", organizationId)));
    }

    private static Study? Read(Session session, string name) => session.QuerySingle(
        "SELECT id, name, definition, created_at FROM studies WHERE name = @name",
        r => new Study(r.GetString(0), r.GetString(1), r.GetString(2), r.GetTime(3)),
        ("@name", name));
}
