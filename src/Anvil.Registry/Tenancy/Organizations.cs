using System.Data.Common;
using Anvil.Registry.Storage;

namespace Anvil.Registry.Tenancy;

/// <summary>Organizations (tenants) and their members.</summary>
public sealed class Organizations(RegistryDatabase db, TimeProvider? time = null)
{
    private const string Columns = "id, name, created_at, erased_at";

    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public Organization Create(string name)
    {
        Names.RequireOrganization(name);
        var organization = new Organization(Ids.New(_time), name, _time.GetUtcNow());
        try
        {
            db.Write(session => session.Execute(
                "INSERT INTO organizations (id, name, created_at) VALUES (@id, @name, @now)",
                ("@id", organization.Id), ("@name", name), ("@now", TimeText.From(organization.CreatedAt))));
        }
        catch (DbException exception) when (db.Dialect.IsUniqueViolation(exception))
        {
            throw new RegistryException(
                $"Organization '{name}' already exists. Pick another name, or add members to it with: ./anvil orgs members add {name} <email>");
        }

        return organization;
    }

    public Organization? Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return db.Read(session => Find(session, name));
    }

    /// <summary>The organization called <paramref name="name"/>; a missing or erased one is a <see cref="RegistryException"/>.</summary>
    public Organization Get(string name) => RequireActive(GetIncludingErased(name));

    /// <summary>The organization called <paramref name="name"/>, erased or not (its invoices still name it); a missing one is a <see cref="RegistryException"/>.</summary>
    public Organization GetIncludingErased(string name) => Find(name) ?? throw Missing(name);

    public IReadOnlyList<Organization> List() =>
        db.Read(session => session.Query($"SELECT {Columns} FROM organizations ORDER BY name", Read));

    /// <summary>Adds <paramref name="email"/> with <paramref name="role"/>, or changes the role of an existing member.</summary>
    public Member AddMember(string organization, string email, Role role)
    {
        var normalized = NormalizeEmail(email);
        var roleText = RoleNames.ToText(role);
        return db.Write(session =>
        {
            var found = Active(session, organization);
            session.Execute(
                "INSERT INTO members (organization_id, email, role, added_at) VALUES (@org, @email, @role, @now) " +
                "ON CONFLICT (organization_id, email) DO UPDATE SET role = excluded.role",
                ("@org", found.Id), ("@email", normalized), ("@role", roleText), ("@now", TimeText.From(_time.GetUtcNow())));
            return MembersOf(session, found.Id, normalized)[0];
        });
    }

    /// <summary>False when <paramref name="email"/> was not a member.</summary>
    public bool RemoveMember(string organization, string email)
    {
        var normalized = NormalizeEmail(email);
        return db.Write(session =>
        {
            var found = Find(session, organization) ?? throw Missing(organization);
            return session.Execute(
                "DELETE FROM members WHERE organization_id = @org AND email = @email", ("@org", found.Id), ("@email", normalized)) > 0;
        });
    }

    public IReadOnlyList<Member> Members(string organization) => db.Read(session =>
    {
        var found = Find(session, organization) ?? throw Missing(organization);
        return MembersOf(session, found.Id, email: null);
    });

    internal static Organization? Find(Session session, string name) =>
        session.QuerySingle($"SELECT {Columns} FROM organizations WHERE name = @name", Read, ("@name", name));

    internal static Organization? FindById(Session session, string id) =>
        session.QuerySingle($"SELECT {Columns} FROM organizations WHERE id = @id", Read, ("@id", id));

    /// <summary>The organization called <paramref name="name"/> when it exists and was not erased; else a <see cref="RegistryException"/>.</summary>
    internal static Organization Active(Session session, string name) => RequireActive(Find(session, name) ?? throw Missing(name));

    /// <summary><paramref name="organization"/> itself, or a <see cref="RegistryException"/> when it was erased.</summary>
    internal static Organization RequireActive(Organization organization) => organization.ErasedAt is { } erasedAt
        ? throw new RegistryException(
            $"Organization '{organization.Name}' was erased on {erasedAt:yyyy-MM-dd}; only its billing records remain " +
            $"(./anvil usage --org {organization.Name}). Create a new organization under another name.")
        : organization;

    internal static RegistryException Missing(string name) =>
        new($"No organization '{name}'. Create it with: ./anvil orgs create {name}");

    private static List<Member> MembersOf(Session session, string organizationId, string? email) => session.Query(
        "SELECT organization_id, email, role, added_at FROM members WHERE organization_id = @org" +
        (email is null ? "" : " AND email = @email") + " ORDER BY email",
        reader => new Member(reader.GetString(0), reader.GetString(1), RoleNames.Parse(reader.GetString(2)), reader.GetTime(3)),
        ("@org", organizationId), ("@email", email));

    private static string NormalizeEmail(string email)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(email);
        var trimmed = email.Trim().ToLowerInvariant();
        var at = trimmed.IndexOf('@', StringComparison.Ordinal);
        if (trimmed.Length > 254 || at <= 0 || at != trimmed.LastIndexOf('@') || at == trimmed.Length - 1 || trimmed.Any(char.IsWhiteSpace))
        {
            throw new RegistryException($"'{email}' is not an e-mail address: expected one '@' with text on both sides, e.g. ada@example.com.");
        }

        return trimmed;
    }

    private static Organization Read(DbDataReader reader) => new(reader.GetString(0), reader.GetString(1), reader.GetTime(2), reader.GetNullableTime(3));
}
