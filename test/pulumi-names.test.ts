// The ports of Pulumi's naming rules (scripts/pulumi-names.js), which the package
// schema's tests and the registry examples rely on, against Pulumi's own tests:
// pulumi/pulumi pkg/codegen/python/utilities_test.go TestMakeSafeEnumName (its
// table, as it is at commit 1b59498) and python_test.go's pyNameTests.
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";

const { pyName, pythonEnumMember, goEnumMember, goFunction } = createRequire(__filename)("../scripts/pulumi-names.js") as {
  pyName(name: string): string;
  pythonEnumMember(name: string, typeName: string): string;
  goEnumMember(name: string, typeName: string): string;
  goFunction(name: string, resources: string[]): string;
};

describe("Python", () => {
  it.each([
    ["red", "RED"],
    ["snake_cased_name", "SNAKE_CASED_NAME"],
    ["*", "ASTERISK"],
    ["0", "ZERO"],
    ["8.3", "TYPE_NAME_8_3"],
    ["11", "TYPE_NAME_11"],
    ["Microsoft-Windows-Shell-Startup", "MICROSOFT_WINDOWS_SHELL_STARTUP"],
    ["Microsoft.Batch", "MICROSOFT_BATCH"],
    ["readonly", "READONLY"],
    ["SystemAssigned, UserAssigned", "SYSTEM_ASSIGNED_USER_ASSIGNED"],
    ["Dev(NoSLA)_Standard_D11_v2", "DEV_NO_SL_A_STANDARD_D11_V2"],
    ["Standard_E8as_v4+1TB_PS", "STANDARD_E8AS_V4_1_T_B_PS"],
    ["Plants'R'Us", "PLANTS_R_US"],
    ["Pulumi Planters Inc.", "PULUMI_PLANTERS_INC_"],
    ["ZeroPointOne", "ZERO_POINT_ONE"],
  ])("makeSafeEnumName(%j) is %j, as TestMakeSafeEnumName expects", (name, expected) => {
    expect(pythonEnumMember(name, "TypeName")).toBe(expected);
  });

  it("makeSafeEnumName refuses one illegal character; mangles SCREAMING_SNAKE as the issue says", () => {
    expect(() => pythonEnumMember("+", "TypeName")).toThrow(/not a valid identifier/);
    expect(pythonEnumMember("NOT_ALLOWED", "T")).toBe("NO_T_ALLOWED");
    expect(pythonEnumMember("GROUP_CALL", "T")).toBe("GROU_P_CALL");
  });

  it.each([
    // pyNameTests (python_test.go), the non-legacy column; the three names Pulumi keeps legacy names for are left out.
    ["kubeletConfigKey", "kubelet_config_key"],
    ["podCIDR", "pod_cidr"],
    ["podCidr", "pod_cidr"],
    ["podCIDRs", "pod_cidrs"],
    ["podIPs", "pod_ips"],
    ["nonResourceURLs", "non_resource_urls"],
    ["someTHINGsAREWeird", "some_things_are_weird"],
    ["podCIDRSet", "pod_cidr_set"],
    ["Sha256Hash", "sha256_hash"],
    ["SHA256Hash", "sha256_hash"],
    ["proj:config", "proj_config"],
    // Ours.
    ["appId", "app_id"],
    ["getApp", "get_app"],
    ["from", "from_"],
  ])("pyName(%j) is %j", (name, expected) => {
    expect(pyName(name)).toBe(expected);
  });
});

describe("Go", () => {
  it("an enum constant is the type's name and the member's; getX is LookupX when X is a resource", () => {
    expect(goEnumMember("GroupCallHost", "PresetRole")).toBe("PresetRoleGroupCallHost");
    expect(goEnumMember("left-top", "Position")).toBe("Position_Left_Top");
    expect(goFunction("getApp", ["App"])).toBe("LookupApp");
    expect(goFunction("getThing", ["App"])).toBe("GetThing");
  });
});
