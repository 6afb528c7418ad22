// Secrets between the engine and a provider. The state keeps plain values and
// which top-level properties are secret; a provider whose Configure answered
// acceptSecrets gets them wrapped in the secret signature and may answer
// wrapped values (else the engine strips them both ways, as provider_plugin.go does).
import { SECRET_SIG, SIG_KEY, UNKNOWN, type Props, type Protocol } from "./host";

/** A value the engine marked secret (its secret signature). */
export const isSecret = (v: unknown): v is { value: unknown } =>
    v !== null && typeof v === "object" && (v as Record<string, unknown>)[SIG_KEY] === SECRET_SIG;

/** A value with every secret wrapper taken off; `found` tells whether there was one. */
function plainOf(v: unknown, found: { secret: boolean }): unknown {
    if (isSecret(v)) {
        found.secret = true;
        return plainOf(v.value, found);
    }
    if (Array.isArray(v)) return v.map((x) => plainOf(x, found));
    if (v !== null && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plainOf(x, found)]));
    return v;
}

/** A value with every secret wrapper taken off, at any depth. */
export const plainValue = (v: unknown): unknown => plainOf(v, { secret: false });

/** Plain values, and the top-level keys that held a secret anywhere inside. */
export function unseal(props: Props): { plain: Props; secretKeys: string[] } {
    const plain: Props = {};
    const secretKeys: string[] = [];
    for (const [k, v] of Object.entries(props)) {
        const found = { secret: false };
        plain[k] = plainOf(v, found);
        if (found.secret) secretKeys.push(k);
    }
    return { plain, secretKeys };
}

/** What the engine sends a provider: the secret top-level keys wrapped, where the provider accepts secrets. */
export function seal(protocol: Protocol, props: Props, secretKeys: readonly string[] = []): Props {
    if (!protocol.acceptSecrets) return props;
    return Object.fromEntries(Object.entries(props).map(([k, v]) => [k, secretKeys.includes(k) && !isSecret(v) ? { [SIG_KEY]: SECRET_SIG, value: v } : v]));
}

/** The top-level keys whose value is itself a secret (not one that only holds a secret inside). */
export function wrappedKeys(props: Props): string[] {
    return Object.keys(props).filter((k) => isSecret(props[k]));
}

/**
 * Properties as the engine marshals them where it keeps no unknowns (MarshalOptions without
 * KeepUnknowns, sdk/go/common/resource/plugin/rpc.go): a value not known yet is left out, of
 * objects and of lists alike.
 */
export function withoutUnknowns(props: Props): Props {
    const strip = (v: unknown): unknown => {
        if (Array.isArray(v)) return v.filter((x) => x !== UNKNOWN).map(strip);
        if (v === null || typeof v !== "object") return v;
        return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== UNKNOWN).map(([k, x]) => [k, strip(x)]));
    };
    return strip(props) as Props;
}
