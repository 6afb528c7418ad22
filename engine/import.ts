// `pulumi import TYPE NAME ID`, as the engine runs it (pkg/resource/deploy/step.go, ImportStep):
// Read with only the id (no state, no inputs); an answer without properties means the object
// does not exist, one without inputs that the provider cannot import. Then Check with the read
// inputs as both the old and the new inputs: its failures are warnings, the import goes on. The
// state keeps what Read answered; the generated program sets the read inputs, named as the
// schema's input properties.
import { urn as makeUrn, type CheckFailure, type Host } from "./host";
import type { ResourceState } from "./program";
import { unseal } from "./secrets";

export interface ImportResult {
    urn: string;
    resource: ResourceState;
    /** Check's failures on the read inputs, which the engine shows as warnings. */
    warnings: CheckFailure[];
}

export async function importResource(
    door: Host,
    target: { type: string; name: string; id: string; project?: string; stack?: string },
): Promise<ImportResult> {
    const urn = makeUrn(target.type, target.name, target.project, target.stack);
    const read = await door.read(target.id, urn, {});
    if (!read.exists) throw new Error(`resource '${target.id}' does not exist`);
    if (!read.inputs) throw new Error(`provider does not support importing resources; please try updating the '${target.type.split(":")[0]}' plugin`);
    const checked = await door.check(urn, read.inputs, read.inputs);
    const outputs = unseal(read.props);
    const inputs = unseal(read.inputs);
    const resource: ResourceState = {
        type: target.type,
        name: target.name,
        id: read.id || target.id,
        inputs: inputs.plain,
        outputs: outputs.plain,
        secretOutputs: outputs.secretKeys,
        ...(inputs.secretKeys.length ? { secretInputs: inputs.secretKeys } : {}),
    };
    return { urn, resource, warnings: checked.failures };
}
