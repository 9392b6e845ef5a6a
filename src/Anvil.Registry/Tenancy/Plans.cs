using System.Data.Common;
using Anvil.Registry.Storage;

namespace Anvil.Registry.Tenancy;

/// <summary>The plans API keys are sold on. free, pro and enterprise are seeded by the schema.</summary>
public sealed class Plans(RegistryDatabase db)
{
    private const string Columns = "name, requests_per_minute, monthly_quota, price_per_1000_micros, max_inputs_per_request";

    /// <summary>The plan called <paramref name="name"/>; an unknown one is a <see cref="RegistryException"/> listing the plans.</summary>
    public Plan Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return db.Read(session => Get(session, name));
    }

    public IReadOnlyList<Plan> List() =>
        db.Read(session => session.Query($"SELECT {Columns} FROM plans ORDER BY price_per_1000_micros DESC, name", Read));

    /// <summary>Creates or changes a plan. A new price applies to usage recorded from now on.</summary>
    public Plan Save(Plan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        Names.RequireOrganization(plan.Name);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(plan.RequestsPerMinute);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(plan.MonthlyQuota);
        ArgumentOutOfRangeException.ThrowIfNegative(plan.PricePer1000Micros);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(plan.MaxInputsPerRequest);
        db.Write(session => session.Execute(
            $"INSERT INTO plans ({Columns}) VALUES (@name, @rpm, @quota, @price, @inputs) ON CONFLICT (name) DO UPDATE SET " +
            "requests_per_minute = excluded.requests_per_minute, monthly_quota = excluded.monthly_quota, " +
            "price_per_1000_micros = excluded.price_per_1000_micros, max_inputs_per_request = excluded.max_inputs_per_request",
            ("@name", plan.Name), ("@rpm", (long)plan.RequestsPerMinute), ("@quota", plan.MonthlyQuota), ("@price", plan.PricePer1000Micros),
            ("@inputs", (long)plan.MaxInputsPerRequest)));
        return plan;
    }

    internal static Plan Get(Session session, string name) =>
        session.QuerySingle($"SELECT {Columns} FROM plans WHERE name = @name", Read, ("@name", name))
        ?? throw new RegistryException(
            $"No plan '{name}'. Choose one of: {string.Join(", ", session.Query("SELECT name FROM plans ORDER BY name", r => r.GetString(0)))}.");

    private static Plan Read(DbDataReader reader) =>
        new(reader.GetString(0), reader.GetInt(1), reader.GetLong(2), reader.GetLong(3)) { MaxInputsPerRequest = reader.GetInt(4) };
}
