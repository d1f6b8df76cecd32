"""Assertions of terraform/tests/run.sh on Terraform state (terraform show -json)
and on what moto holds. Each subcommand exits non-zero with the reasons printed.

Subcommands:
  openapi      the API document (placeholders filled) is valid OpenAPI 3.0
  create-zone  create the test hosted zone in moto, print its id
  body         the rendered API document routes every manifest operation to its Lambda
  state-chain  functions, roles, policies, permissions, log groups, alarms == manifest
  moto-chain   the same chain as moto holds it (functions, roles, permissions, integrations)
  dns          one latency record + HTTPS health check of the region's own endpoint per region
  global       the global resources are as designed
  empty        after destroy, moto holds nothing of the stack
"""

import argparse
import json
import re
import sys

import boto3

PREFIX = "accounts-moto-ci"

errors = []


def expect(cond, msg):
    if not cond:
        errors.append(msg)


def done(what):
    if errors:
        for e in errors:
            print("ERROR:", e)
        sys.exit(1)
    print("ok:", what)


def client(service, endpoint, region):
    return boto3.client(
        service,
        endpoint_url=endpoint,
        region_name=region,
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )


def load_manifest(path):
    ops = json.load(open(path))["operations"]
    return {o["key"]: o for o in ops}


def resources(state):
    """All resources of a `terraform show -json` document, modules included."""
    out = []

    def walk(module):
        out.extend(module.get("resources", []))
        for child in module.get("child_modules", []):
            walk(child)

    walk(state.get("values", {}).get("root_module", {}))
    return out


def by_type(state, rtype, name=None, mode="managed"):
    return {
        r.get("index"): r["values"]
        for r in resources(state)
        if r["type"] == rtype and r.get("mode") == mode and (name is None or r["name"] == name)
    }


def outputs(state):
    return {k: v["value"] for k, v in state.get("values", {}).get("outputs", {}).items()}


def permission_path(path):
    return re.sub(r"\{[^}/]+\}", "*", path)


def cmd_openapi(a):
    """The rendered document must be valid OpenAPI 3.0: API Gateway (and moto) import
    it with fail_on_warnings, so an invalid document fails the deployment."""
    from openapi_spec_validator import OpenAPIV30SpecValidator

    text = open(a.document).read()
    text = text.replace("${cognito_user_pool_arn}", "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_test")
    text = re.sub(
        r"\$\{lambda_invoke_arns\.(\w+)\}",
        r"arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/"
        r"arn:aws:lambda:us-east-1:123456789012:function:\1/invocations",
        text,
    )
    doc = json.loads(text.replace("$${", "${"))
    for err in OpenAPIV30SpecValidator(doc).iter_errors():
        errors.append(f"at /{'/'.join(str(p) for p in err.path)}: {err.message[:300]}")

    def walk(node, path):
        if isinstance(node, dict):
            if isinstance(node.get("type"), list):
                errors.append(f"at {path}: type {node['type']} is a JSON Schema type array, not OpenAPI 3.0")
            for k, v in node.items():
                walk(v, f"{path}/{k}")
        elif isinstance(node, list):
            for i, v in enumerate(node):
                walk(v, f"{path}/{i}")

    walk(doc, "")
    done("the API document is valid OpenAPI 3.0")


def cmd_create_zone(a):
    r53 = client("route53", a.endpoint, "us-east-1")
    zone = r53.create_hosted_zone(Name=a.zone, CallerReference="tf-tests")
    print(zone["HostedZone"]["Id"].split("/")[-1])


def cmd_body(a):
    manifest = load_manifest(a.manifest)
    state = json.load(open(a.state))
    out = outputs(state)
    body_text = out["api_body"]
    expect("${lambda_invoke_arns" not in body_text, "an invoke ARN placeholder was left unrendered")
    expect("${cognito_user_pool_arn}" not in body_text, "the user pool placeholder was left unrendered")
    doc = json.loads(body_text)
    functions = out["functions"]
    seen = set()
    for path, item in doc.get("paths", {}).items():
        for method, op in item.items():
            if not isinstance(op, dict) or "x-amazon-apigateway-integration" not in op:
                continue
            seen.add((method.upper(), path))
    wanted = {(o["method"].upper(), o["path"]) for o in manifest.values()}
    expect(seen == wanted, f"integrations in the body {sorted(seen)} != manifest {sorted(wanted)}")
    for key, o in manifest.items():
        op = doc.get("paths", {}).get(o["path"], {}).get(o["method"].lower())
        if op is None:
            errors.append(f"{key}: {o['method']} {o['path']} missing from the body")
            continue
        integ = op.get("x-amazon-apigateway-integration", {})
        expect(key in functions, f"{key}: no Lambda in the functions output")
        expect(
            integ.get("uri") == functions.get(key, {}).get("invoke_arn"),
            f"{key}: integration uri {integ.get('uri')} is not its Lambda's invoke ARN",
        )
        expect(integ.get("type") == "aws_proxy", f"{key}: integration type {integ.get('type')}")
        expect(integ.get("httpMethod") == "POST", f"{key}: integration httpMethod {integ.get('httpMethod')}")
    pool_arns = (
        doc.get("components", {})
        .get("securitySchemes", {})
        .get("cognito", {})
        .get("x-amazon-apigateway-authorizer", {})
        .get("providerARNs", [])
    )
    expect(
        len(pool_arns) == 1 and re.match(r"^arn:aws:cognito-idp:[a-z0-9-]+:\d{12}:userpool/.+", pool_arns[0] or ""),
        f"authorizer providerARNs {pool_arns} is not one user pool ARN",
    )
    done(f"body routes {len(manifest)} operations")


def cmd_state_chain(a):
    manifest = load_manifest(a.manifest)
    state = json.load(open(a.state))
    keys = set(manifest)
    out = outputs(state)
    region = out["region"]
    execution_arn = by_type(state, "aws_api_gateway_rest_api")[None]["execution_arn"]
    for rtype, name in [
        ("aws_lambda_function", "op"),
        ("aws_iam_role", "op"),
        ("aws_iam_role_policy", "op"),
        ("aws_lambda_permission", "op"),
        ("aws_cloudwatch_log_group", "op"),
        ("aws_cloudwatch_metric_alarm", "lambda_errors"),
        ("aws_cloudwatch_metric_alarm", "lambda_throttles"),
    ]:
        got = set(by_type(state, rtype, name))
        expect(got == keys, f"{rtype}.{name}: {sorted(got)} != manifest {sorted(keys)}")
    fns = by_type(state, "aws_lambda_function", "op")
    roles = by_type(state, "aws_iam_role", "op")
    policies = by_type(state, "aws_iam_role_policy", "op")
    perms = by_type(state, "aws_lambda_permission", "op")
    for key, o in manifest.items():
        f = fns.get(key)
        if not f:
            continue
        expect(f["function_name"] == f"{PREFIX}-{o['function']}", f"{key}: function name {f['function_name']}")
        expect(f["architectures"] == ["arm64"], f"{key}: architectures {f['architectures']}")
        expect(f["runtime"] == "provided.al2023", f"{key}: runtime {f['runtime']}")
        expect(f["handler"] == "bootstrap", f"{key}: handler {f['handler']}")
        expect(f["memory_size"] == 512, f"{key}: memory {f['memory_size']}")
        expect(f["tracing_config"][0]["mode"] == "Active", f"{key}: tracing not Active")
        expect(f["reserved_concurrent_executions"] >= 0, f"{key}: no reserved concurrency")
        env = f["environment"][0]["variables"]
        expect(set(env) >= {"TABLE_NAME", "RUST_LOG"}, f"{key}: environment {sorted(env)}")
        expect(("CURSOR_SECRET_ID" in env) == bool(o["readsSecret"]), f"{key}: secret env var vs readsSecret")
        if "CURSOR_SECRET_ID" in env:
            expect(f":{region}:" in env["CURSOR_SECRET_ID"], f"{key}: secret ARN is not this region's copy")
        expect(f["role"] == roles.get(key, {}).get("arn"), f"{key}: function does not use its own role")
        doc = json.loads(policies.get(key, {}).get("policy", "{}"))
        actions = set()
        resources_of = {}
        for st in doc.get("Statement", []):
            acts = st["Action"] if isinstance(st["Action"], list) else [st["Action"]]
            res = st["Resource"] if isinstance(st["Resource"], list) else [st["Resource"]]
            for act in acts:
                actions.add(act)
                resources_of.setdefault(act, set()).update(res)
        ddb = {x for x in actions if x.startswith("dynamodb:")}
        expect(ddb == {f"dynamodb:{x}" for x in o["dynamodbActions"]}, f"{key}: DynamoDB actions {sorted(ddb)}")
        for act in ddb:
            expect(
                all(":table/" in r for r in resources_of[act]),
                f"{key}: {act} granted beyond the table: {resources_of[act]}",
            )
        expect(
            ("secretsmanager:GetSecretValue" in actions) == bool(o["readsSecret"]),
            f"{key}: GetSecretValue vs readsSecret",
        )
        expect(
            not any(x.startswith("secretsmanager:") and x != "secretsmanager:GetSecretValue" for x in actions),
            f"{key}: extra Secrets Manager actions",
        )
        if "secretsmanager:GetSecretValue" in actions:
            expect(
                resources_of["secretsmanager:GetSecretValue"] == {env.get("CURSOR_SECRET_ID")},
                f"{key}: GetSecretValue not limited to the secret",
            )
        expect({"xray:PutTraceSegments", "xray:PutTelemetryRecords"} <= actions, f"{key}: no X-Ray put")
        expect(
            resources_of.get("logs:PutLogEvents") == {f"arn:aws:logs:{region}:" + f["arn"].split(":")[4]
                                                       + f":log-group:/aws/lambda/{f['function_name']}:*"},
            f"{key}: logs not limited to its own log group: {resources_of.get('logs:PutLogEvents')}",
        )
        p = perms.get(key, {})
        want = f"{execution_arn}/*/{o['method'].upper()}{permission_path(o['path'])}"
        expect(p.get("source_arn") == want, f"{key}: permission source ARN {p.get('source_arn')} != {want}")
        expect(p.get("function_name") == f["function_name"], f"{key}: permission on another function")
        expect(p.get("principal") == "apigateway.amazonaws.com", f"{key}: permission principal")
    done(f"state chain of {len(keys)} operations in {region}")


def cmd_moto_chain(a):
    manifest = load_manifest(a.manifest)
    state = json.load(open(a.state))
    region = a.region
    lam = client("lambda", a.endpoint, region)
    iam = client("iam", a.endpoint, region)
    apigw = client("apigateway", a.endpoint, region)
    by_name = {f"{PREFIX}-{o['function']}": k for k, o in manifest.items()}

    functions = []
    for page in lam.get_paginator("list_functions").paginate():
        functions.extend(page["Functions"])
    names = {f["FunctionName"] for f in functions}
    expect(names == set(by_name), f"moto functions {sorted(names)} != manifest {sorted(by_name)}")

    roles = []
    for page in iam.get_paginator("list_roles").paginate():
        roles.extend(page["Roles"])
    fn_roles = {
        r["RoleName"] for r in roles if r["RoleName"].endswith(f"-{region}") and "-apigw-logs-" not in r["RoleName"]
    }
    want_roles = {f"{n}-{region}"[:64] for n in by_name}
    expect(fn_roles == want_roles, f"moto function roles {sorted(fn_roles)} != {sorted(want_roles)}")
    role_arn = {r["RoleName"]: r["Arn"] for r in roles}
    for f in functions:
        expect(
            f["Role"] == role_arn.get(f"{f['FunctionName']}-{region}"[:64]),
            f"{f['FunctionName']}: role {f['Role']} is not its own",
        )

    apis = [x for x in apigw.get_rest_apis()["items"] if x["name"] == PREFIX]
    expect(len(apis) == 1, f"{len(apis)} REST APIs named {PREFIX}")
    api_id = apis[0]["id"] if apis else None
    execution_prefix = None
    integrations = set()
    if api_id:
        resources_ = []
        for page in apigw.get_paginator("get_resources").paginate(restApiId=api_id):
            resources_.extend(page["items"])
        for res in resources_:
            for method in res.get("resourceMethods", {}) or {}:
                integ = apigw.get_integration(restApiId=api_id, resourceId=res["id"], httpMethod=method)
                m = re.search(r"/functions/arn:aws:lambda:[^:]+:(\d{12}):function:([^/]+)/invocations$", integ["uri"])
                expect(m is not None, f"{method} {res['path']}: integration uri {integ['uri']} is not a Lambda")
                if m:
                    integrations.add((method, res["path"], by_name.get(m.group(2), m.group(2))))
                    execution_prefix = f"arn:aws:execute-api:{region}:{m.group(1)}:{api_id}"
                # moto keeps the imported spelling (aws_proxy); API Gateway reports AWS_PROXY.
                expect(integ["type"].upper() == "AWS_PROXY", f"{method} {res['path']}: type {integ['type']}")
    want_integ = {(o["method"].upper(), o["path"], k) for k, o in manifest.items()}
    expect(integrations == want_integ, f"moto integrations {sorted(integrations)} != {sorted(want_integ)}")

    permitted = set()
    for name, key in by_name.items():
        if name not in names:
            continue
        policy = json.loads(lam.get_policy(FunctionName=name)["Policy"])
        for st in policy["Statement"]:
            src = st.get("Condition", {}).get("ArnLike", {}).get("AWS:SourceArn")
            m = re.match(r"^(arn:aws:execute-api:[^/]+)/\*/([A-Z]+)(/.*)$", src or "")
            expect(m is not None, f"{name}: permission source ARN {src}")
            if m:
                expect(m.group(1) == execution_prefix, f"{name}: permission for another API {m.group(1)}")
                permitted.add((m.group(2), m.group(3), key))
    want_perm = {(o["method"].upper(), permission_path(o["path"]), k) for k, o in manifest.items()}
    expect(permitted == want_perm, f"moto permissions {sorted(permitted)} != {sorted(want_perm)}")
    done(f"moto chain of {len(manifest)} operations in {region}")


def cmd_dns(a):
    state = json.load(open(a.state))
    checks = by_type(state, "aws_route53_health_check", "region")
    records = by_type(state, "aws_route53_record", "latency")
    expect(set(checks) == set(a.regions), f"health checks for {sorted(checks)}")
    expect(set(records) == set(a.regions), f"latency records for {sorted(records)}")
    for region, path in zip(a.regions, a.region_states):
        endpoint = outputs(json.load(open(path)))["dns_endpoint"]
        hc = checks.get(region, {})
        rec = records.get(region, {})
        expect(hc.get("type") == "HTTPS", f"{region}: health check type {hc.get('type')}")
        expect(hc.get("fqdn") == endpoint["health_check_fqdn"], f"{region}: health check fqdn {hc.get('fqdn')}")
        expect(hc.get("fqdn") != rec.get("name"), f"{region}: health check targets the latency name")
        expect(hc.get("resource_path") == endpoint["health_check_path"], f"{region}: health check path")
        expect(rec.get("set_identifier") == region, f"{region}: set identifier {rec.get('set_identifier')}")
        expect(rec.get("latency_routing_policy", [{}])[0].get("region") == region, f"{region}: latency region")
        expect(rec.get("health_check_id") == hc.get("id"), f"{region}: record not tied to its health check")
        alias = (rec.get("alias") or [{}])[0]
        expect(alias.get("name") == endpoint["regional_domain_name"], f"{region}: alias target {alias.get('name')}")
        expect(alias.get("zone_id") == endpoint["regional_zone_id"], f"{region}: alias zone {alias.get('zone_id')}")
    done(f"dns for {len(a.regions)} regions")


def cmd_global(a):
    state = json.load(open(a.state))
    table = by_type(state, "aws_dynamodb_table").get(None, {})
    expect(table.get("hash_key") == "pk", "table hash key")
    expect(table.get("billing_mode") == "PAY_PER_REQUEST", "table billing mode")
    expect(table.get("stream_view_type") == "NEW_AND_OLD_IMAGES", "table stream view type")
    gsi = {g["name"]: g for g in table.get("global_secondary_index", [])}
    expect(
        "by-email" in gsi and gsi["by-email"]["hash_key"] == "emailLower" and gsi["by-email"]["projection_type"] == "ALL",
        "GSI by-email",
    )
    expect(table.get("ttl", [{}])[0].get("attribute_name") == "expiresAt", "TTL attribute")
    expect(table.get("point_in_time_recovery", [{}])[0].get("enabled") is True, "PITR")
    expect(table.get("server_side_encryption", [{}])[0].get("enabled") is True, "SSE")
    pool = by_type(state, "aws_cognito_user_pool").get(None, {})
    expect(pool.get("username_attributes") == ["email"], "user pool username is email")
    expect(pool.get("mfa_configuration") == "OPTIONAL", "MFA optional")
    client_ = by_type(state, "aws_cognito_user_pool_client").get(None, {})
    expect(client_.get("generate_secret") in (False, None) and not client_.get("client_secret"), "client has a secret")
    expect(
        set(client_.get("explicit_auth_flows", [])) == {"ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"},
        f"client auth flows {client_.get('explicit_auth_flows')}",
    )
    group = by_type(state, "aws_cognito_user_group").get(None, {})
    expect(group.get("name") == "admin", "admin group")
    secret = by_type(state, "aws_secretsmanager_secret").get(None, {})
    replicas = {r["region"] for r in secret.get("replica", [])}
    expect(replicas == set(a.regions[1:]), f"secret replicas {sorted(replicas)} != {a.regions[1:]}")
    version = by_type(state, "aws_secretsmanager_secret_version").get(None, {})
    expect(version.get("has_secret_string_wo") is True, "secret value not written write-only")
    expect(not version.get("secret_string"), "the secret value is in state")
    done("global resources")


def cmd_empty(a):
    r53 = client("route53", a.endpoint, "us-east-1")
    iam = client("iam", a.endpoint, "us-east-1")
    left = []
    roles = iam.list_roles()["Roles"]
    left += [f"iam role {r['RoleName']}" for r in roles]
    left += [f"route53 health check {h['Id']}" for h in r53.list_health_checks()["HealthChecks"]]
    rrs = r53.list_resource_record_sets(HostedZoneId=a.zone_id)["ResourceRecordSets"]
    left += [f"route53 record {r['Name']} {r['Type']}" for r in rrs if r["Type"] not in ("NS", "SOA")]
    for region in a.regions:
        c = lambda s: client(s, a.endpoint, region)  # noqa: E731
        left += [f"{region} lambda {f['FunctionName']}" for f in c("lambda").list_functions()["Functions"]]
        left += [f"{region} rest api {x['name']}" for x in c("apigateway").get_rest_apis()["items"]]
        left += [f"{region} domain {x['domainName']}" for x in c("apigateway").get_domain_names()["items"]]
        left += [f"{region} certificate {x['DomainName']}" for x in c("acm").list_certificates()["CertificateSummaryList"]]
        left += [f"{region} log group {x['logGroupName']}" for x in c("logs").describe_log_groups()["logGroups"]]
        left += [f"{region} alarm {x['AlarmName']}" for x in c("cloudwatch").describe_alarms()["MetricAlarms"]]
        left += [f"{region} table {x}" for x in c("dynamodb").list_tables()["TableNames"]]
        left += [f"{region} user pool {x['Name']}" for x in c("cognito-idp").list_user_pools(MaxResults=60)["UserPools"]]
        left += [f"{region} secret {x['Name']}" for x in c("secretsmanager").list_secrets()["SecretList"]]
        kms = c("kms")
        for k in kms.list_keys()["Keys"]:
            meta = kms.describe_key(KeyId=k["KeyId"])["KeyMetadata"]
            # Only the stack's keys (their descriptions start with the name prefix);
            # moto creates its own "Default key"s for services on first use.
            ours = (meta.get("Description") or "").startswith(PREFIX)
            if ours and meta["KeyState"] != "PendingDeletion":
                left.append(f"{region} kms key {k['KeyId']} ({meta['KeyState']}: {meta.get('Description')})")
        aliases = [x["AliasName"] for x in kms.list_aliases()["Aliases"] if not x["AliasName"].startswith("alias/aws/")]
        left += [f"{region} kms alias {x}" for x in aliases]
    for item in left:
        errors.append(f"left in moto: {item}")
    if not errors:
        # The zone was the test's own input: remove it and check it is gone too.
        r53.delete_hosted_zone(Id=a.zone_id)
        expect(r53.list_hosted_zones()["HostedZones"] == [], "hosted zones left")
    done("moto is empty (KMS keys pending deletion)")


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("openapi")
    s.add_argument("--document", required=True)
    s = sub.add_parser("create-zone")
    s.add_argument("--endpoint", required=True)
    s.add_argument("--zone", required=True)
    for name in ("body", "state-chain", "moto-chain"):
        s = sub.add_parser(name)
        s.add_argument("--manifest", required=True)
        s.add_argument("--state", required=True)
        if name == "moto-chain":
            s.add_argument("--endpoint", required=True)
            s.add_argument("--region", required=True)
    s = sub.add_parser("dns")
    s.add_argument("--state", required=True)
    s.add_argument("--regions", nargs="+", required=True)
    s.add_argument("--region-states", nargs="+", required=True)
    s = sub.add_parser("global")
    s.add_argument("--state", required=True)
    s.add_argument("--regions", nargs="+", required=True)
    s = sub.add_parser("empty")
    s.add_argument("--endpoint", required=True)
    s.add_argument("--zone-id", required=True)
    s.add_argument("--regions", nargs="+", required=True)
    a = p.parse_args()
    {
        "openapi": cmd_openapi,
        "create-zone": cmd_create_zone,
        "body": cmd_body,
        "state-chain": cmd_state_chain,
        "moto-chain": cmd_moto_chain,
        "dns": cmd_dns,
        "global": cmd_global,
        "empty": cmd_empty,
    }[a.cmd](a)


if __name__ == "__main__":
    main()
