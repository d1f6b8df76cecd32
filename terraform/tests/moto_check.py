"""Assertions of terraform/tests/run.sh on Terraform state (terraform show -json),
on what moto holds, and on the test files themselves. Each subcommand exits
non-zero with the reasons printed.

Where a check compares two things, one side comes from moto (what was created) or
from another root's state, never from the very values that were fed in: a check
that compares a value with itself cannot fail.

Subcommands:
  openapi          the API document (placeholders filled) is valid OpenAPI 3.0
  create-zone      create the test hosted zone in moto, print its id
  body             the deployed API document routes every manifest operation to its Lambda
  state-chain      functions, roles, policies, permissions, log groups, alarms == manifest
  moto-chain       the same chain as moto holds it, plus stages, throttles, alarms, topic
  dns              per region a latency record and an HTTPS health check of that region's
                   own API (ids looked up in moto), and the health check alarms
  global           the global resources are as designed, encrypted with the keys root's key
  collisions       two copies' states share no name, domain or record
  empty            after destroy, moto holds nothing of the copies
  tftest-coverage  every validated variable has a test run that expects it to fail
"""

import argparse
import glob
import json
import os
import re
import sys

import boto3

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


def load_functions(path):
    """The manifest's functions by name: one Lambda each, serving one or more operations."""
    return {f["name"]: f for f in json.load(open(path))["functions"]}


def route(o):
    """The resource path API Gateway matches for an operation."""
    return o.get("route", o["path"])


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


def health_operation(manifest, path):
    ops = [o for o in manifest.values() if o["method"].upper() == "GET" and o["path"] == path]
    return ops[0] if len(ops) == 1 else None


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
    pool_arn = by_type(json.load(open(a.global_state)), "aws_cognito_user_pool").get(None, {}).get("arn")
    api = by_type(state, "aws_api_gateway_rest_api").get(None, {})
    body_text = api.get("body", "")
    expect("${lambda_invoke_arns" not in body_text, "an invoke ARN placeholder was left unrendered")
    expect("${cognito_user_pool_arn}" not in body_text, "the user pool placeholder was left unrendered")
    doc = json.loads(body_text)
    functions = by_type(state, "aws_lambda_function", "fn")
    seen, docs = set(), set()
    for path, item in doc.get("paths", {}).items():
        for method, op in item.items():
            if isinstance(op, dict) and "x-amazon-apigateway-integration" in op:
                integ = op["x-amazon-apigateway-integration"]
                if integ.get("type") == "aws" and ":s3:path/" in integ.get("uri", ""):
                    docs.add((method.upper(), path))
                    expect(integ.get("credentials", "").startswith("arn:aws:iam::"), f"{path}: the S3 integration has no role")
                else:
                    seen.add((method.upper(), path))
    expect(docs == {("GET", a.docs_path)}, f"the reference routes {sorted(docs)} != GET {a.docs_path}")
    wanted = {(o["method"].upper(), route(o)) for o in manifest.values()}
    expect(seen == wanted, f"integrations in the body {sorted(seen)} != manifest {sorted(wanted)}")
    for key, o in manifest.items():
        op = doc.get("paths", {}).get(route(o), {}).get(o["method"].lower())
        if op is None:
            errors.append(f"{key}: {o['method']} {route(o)} missing from the body")
            continue
        integ = op.get("x-amazon-apigateway-integration", {})
        fn = functions.get(o["function"], {})
        expect(
            integ.get("uri") == fn.get("invoke_arn") and fn.get("function_name") == f"{a.prefix}-{o['function']}",
            f"{key}: integration uri {integ.get('uri')} is not the invoke ARN of {a.prefix}-{o['function']}",
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
    expect(pool_arns == [pool_arn], f"authorizer providerARNs {pool_arns} != the global state's pool {pool_arn}")
    policy = doc.get("x-amazon-apigateway-policy", {})
    denies = [s for s in policy.get("Statement", []) if s.get("Effect") == "Deny"]
    expect(
        any(f"execute-api:/{a.health_stage}/GET{a.health_path}" in s.get("NotResource", []) for s in denies),
        f"the resource policy does not limit the {a.health_stage} stage to GET {a.health_path}: {policy}",
    )
    done(f"body routes {len(manifest)} operations")


def policy_actions(policy_json):
    actions, resources_of, sids = set(), {}, set()
    for st in json.loads(policy_json).get("Statement", []):
        sids.add(st.get("Sid"))
        acts = st["Action"] if isinstance(st["Action"], list) else [st["Action"]]
        res = st["Resource"] if isinstance(st["Resource"], list) else [st["Resource"]]
        for act in acts:
            actions.add(act)
            resources_of.setdefault(act, set()).update(res)
    return actions, resources_of


def expected_alarm_keys(functions, replica_regions):
    keys = {f"{kind}-{f}" for f in functions for kind in ("lambda-errors", "lambda-throttles", "lambda-duration-p99")}
    keys |= {"api-5xx", "api-4xx", "api-latency-p99", "dynamodb-read-throttles", "dynamodb-write-throttles"}
    keys |= {f"replication-latency-{r}" for r in replica_regions}
    return keys


def cmd_state_chain(a):
    manifest = load_manifest(a.manifest)
    functions = load_functions(a.manifest)
    state = json.load(open(a.state))
    region = a.region
    health = health_operation(manifest, a.health_path)
    expect(health is not None, f"the manifest has no single GET {a.health_path}")
    execution_arn = by_type(state, "aws_api_gateway_rest_api")[None]["execution_arn"]
    # One function, role, policy and log group per manifest function; one permission per operation.
    for rtype, name, want in [
        ("aws_lambda_function", "fn", set(functions)),
        ("aws_iam_role", "fn", set(functions)),
        ("aws_iam_role_policy", "fn", set(functions)),
        ("aws_cloudwatch_log_group", "fn", set(functions)),
        ("aws_lambda_permission", "op", set(manifest)),
    ]:
        got = set(by_type(state, rtype, name))
        expect(got == want, f"{rtype}.{name}: {sorted(got)} != manifest {sorted(want)}")
    fns = by_type(state, "aws_lambda_function", "fn")
    roles = by_type(state, "aws_iam_role", "fn")
    policies = by_type(state, "aws_iam_role_policy", "fn")
    perms = by_type(state, "aws_lambda_permission", "op")
    for name, fdef in functions.items():
        f = fns.get(name)
        if not f:
            continue
        is_health = health is not None and name == health["function"]
        expect(f["function_name"] == f"{a.prefix}-{name}", f"{name}: function name {f['function_name']}")
        expect(f["architectures"] == ["arm64"], f"{name}: architectures {f['architectures']}")
        expect(f["runtime"] == "provided.al2023", f"{name}: runtime {f['runtime']}")
        expect(f["handler"] == "bootstrap", f"{name}: handler {f['handler']}")
        want_reserved = a.health_reserved if is_health else a.reserved
        expect(
            f["reserved_concurrent_executions"] == want_reserved,
            f"{name}: reserved concurrency {f['reserved_concurrent_executions']} != {want_reserved}",
        )
        want_timeout = a.health_timeout if is_health else f["timeout"]
        expect(f["timeout"] == want_timeout, f"{name}: timeout {f['timeout']} != {want_timeout}")
        want_tracing = "PassThrough" if is_health else "Active"
        expect(f["tracing_config"][0]["mode"] == want_tracing, f"{name}: tracing {f['tracing_config'][0]['mode']}")
        env = f["environment"][0]["variables"]
        expect(set(env) >= {"TABLE_NAME", "RUST_LOG"}, f"{name}: environment {sorted(env)}")
        expect(env.get("TABLE_NAME") == a.table_name, f"{name}: TABLE_NAME {env.get('TABLE_NAME')} != {a.table_name}")
        expect(("CURSOR_SECRET_ID" in env) == bool(fdef["readsSecret"]), f"{name}: secret env var vs readsSecret")
        if "CURSOR_SECRET_ID" in env:
            expect(f":{region}:" in env["CURSOR_SECRET_ID"], f"{name}: secret ARN is not this region's copy")
        expect(f["role"] == roles.get(name, {}).get("arn"), f"{name}: function does not use its own role")
        actions, resources_of = policy_actions(policies.get(name, {}).get("policy", "{}"))
        ddb = {x for x in actions if x.startswith("dynamodb:")}
        expect(ddb == {f"dynamodb:{x}" for x in fdef["dynamodbActions"]}, f"{name}: DynamoDB actions {sorted(ddb)}")
        for act in ddb:
            expect(
                all(f":{region}:" in r and f":table/{a.table_name}" in r for r in resources_of[act]),
                f"{name}: {act} granted beyond this region's table: {resources_of[act]}",
            )
        if ddb:
            expect(
                resources_of.get("kms:GenerateDataKey") == {a.table_key},
                f"{name}: table key {resources_of.get('kms:GenerateDataKey')} != this region's key {a.table_key}",
            )
        expect(
            ("secretsmanager:GetSecretValue" in actions) == bool(fdef["readsSecret"]),
            f"{name}: GetSecretValue vs readsSecret",
        )
        expect(
            not any(x.startswith("secretsmanager:") and x != "secretsmanager:GetSecretValue" for x in actions),
            f"{name}: extra Secrets Manager actions",
        )
        if "secretsmanager:GetSecretValue" in actions:
            expect(
                resources_of["secretsmanager:GetSecretValue"] == {env.get("CURSOR_SECRET_ID")},
                f"{name}: GetSecretValue not limited to the secret",
            )
        expect({"xray:PutTraceSegments", "xray:PutTelemetryRecords"} <= actions, f"{name}: no X-Ray put")
        expect(
            resources_of.get("logs:PutLogEvents") == {f"arn:aws:logs:{region}:" + f["arn"].split(":")[4]
                                                       + f":log-group:/aws/lambda/{f['function_name']}:*"},
            f"{name}: logs not limited to its own log group: {resources_of.get('logs:PutLogEvents')}",
        )
    for key, o in manifest.items():
        p = perms.get(key, {})
        want = f"{execution_arn}/*/{o['method'].upper()}{permission_path(route(o))}"
        expect(p.get("source_arn") == want, f"{key}: permission source ARN {p.get('source_arn')} != {want}")
        want_fn = fns.get(o["function"], {}).get("function_name")
        expect(p.get("function_name") == want_fn, f"{key}: permission on {p.get('function_name')}, not {want_fn}")
    alarms = by_type(state, "aws_cloudwatch_metric_alarm", "this")
    want_alarms = expected_alarm_keys(functions, [r for r in a.regions if r != region])
    expect(set(alarms) == want_alarms, f"alarms {sorted(set(alarms) ^ want_alarms)} differ from the expected set")
    topic = by_type(state, "aws_sns_topic", "this").get(None, {}).get("arn")
    for k, al in alarms.items():
        expect(topic in al.get("alarm_actions", []), f"alarm {k} does not notify the topic {topic}")
        expect(al.get("alarm_name", "").startswith(f"{a.prefix}-{region}-"), f"alarm {k} name {al.get('alarm_name')}")
    done(f"state chain of {len(manifest)} operations in {len(functions)} functions and {len(alarms)} alarms in {region}")


def api_of(apigw, prefix):
    apis = [x for x in apigw.get_rest_apis()["items"] if x["name"] == prefix]
    expect(len(apis) == 1, f"{len(apis)} REST APIs named {prefix}")
    return apis[0]["id"] if apis else None


def cmd_moto_chain(a):
    manifest = load_manifest(a.manifest)
    manifest_functions = load_functions(a.manifest)
    region = a.region
    lam = client("lambda", a.endpoint, region)
    iam = client("iam", a.endpoint, region)
    apigw = client("apigateway", a.endpoint, region)
    cw = client("cloudwatch", a.endpoint, region)
    sns = client("sns", a.endpoint, region)
    # AWS function name -> manifest function name.
    by_name = {f"{a.prefix}-{f}": f for f in manifest_functions}

    functions = []
    for page in lam.get_paginator("list_functions").paginate():
        functions.extend(f for f in page["Functions"] if f["FunctionName"].startswith(f"{a.prefix}-"))
    names = {f["FunctionName"] for f in functions}
    expect(names == set(by_name), f"moto functions {sorted(names)} != manifest {sorted(by_name)}")

    roles = []
    for page in iam.get_paginator("list_roles").paginate():
        roles.extend(page["Roles"])
    fn_roles = {
        r["RoleName"] for r in roles
        if r["RoleName"].startswith(f"{a.prefix}-") and r["RoleName"].endswith(f"-{region}") and "-apigw-logs-" not in r["RoleName"] and "-apigw-docs-" not in r["RoleName"]
    }
    want_roles = {f"{n}-{region}" for n in by_name}
    expect(fn_roles == want_roles, f"moto function roles {sorted(fn_roles)} != {sorted(want_roles)}")
    role_arn = {r["RoleName"]: r["Arn"] for r in roles}
    for f in functions:
        expect(f["Role"] == role_arn.get(f"{f['FunctionName']}-{region}"), f"{f['FunctionName']}: role {f['Role']} is not its own")

    api_id = api_of(apigw, a.prefix)
    execution_prefix = None
    integrations = set()
    if api_id:
        resources_ = []
        for page in apigw.get_paginator("get_resources").paginate(restApiId=api_id):
            resources_.extend(page["items"])
        for res in resources_:
            for method in res.get("resourceMethods", {}) or {}:
                integ = apigw.get_integration(restApiId=api_id, resourceId=res["id"], httpMethod=method)
                if ":s3:path/" in integ.get("uri", ""):
                    # The published reference (docs.tf), checked by `body`.
                    continue
                m = re.search(r"/functions/arn:aws:lambda:[^:]+:(\d{12}):function:([^/]+)/invocations$", integ["uri"])
                expect(m is not None, f"{method} {res['path']}: integration uri {integ['uri']} is not a Lambda")
                if m:
                    integrations.add((method, res["path"], by_name.get(m.group(2), m.group(2))))
                    execution_prefix = f"arn:aws:execute-api:{region}:{m.group(1)}:{api_id}"
                # moto keeps the imported spelling (aws_proxy); API Gateway reports AWS_PROXY.
                expect(integ["type"].upper() == "AWS_PROXY", f"{method} {res['path']}: type {integ['type']}")
        stages = {s["stageName"]: s for s in apigw.get_stages(restApiId=api_id)["item"]}
        expect(set(stages) == {a.stage, a.health_stage}, f"stages {sorted(stages)} != {a.stage}, {a.health_stage}")
        health_method = f"{a.health_path.lstrip('/')}/GET"
        main_settings = stages.get(a.stage, {}).get("methodSettings", {})
        probe_settings = stages.get(a.health_stage, {}).get("methodSettings", {})
        public_rate = main_settings.get(health_method, {}).get("throttlingRateLimit")
        stage_rate = main_settings.get("*/*", {}).get("throttlingRateLimit")
        probe_rate = probe_settings.get("*/*", {}).get("throttlingRateLimit")
        expect(
            public_rate is not None and stage_rate is not None and float(public_rate) < float(stage_rate),
            f"public {health_method} throttle {public_rate} is not tighter than the stage's {stage_rate}",
        )
        expect(probe_rate is not None, f"the {a.health_stage} stage has no throttle of its own")
    want_integ = {(o["method"].upper(), route(o), o["function"]) for o in manifest.values()}
    expect(integrations == want_integ, f"moto integrations {sorted(integrations)} != {sorted(want_integ)}")

    permitted = set()
    for name, fn_name in by_name.items():
        if name not in names:
            continue
        policy = json.loads(lam.get_policy(FunctionName=name)["Policy"])
        for st in policy["Statement"]:
            src = st.get("Condition", {}).get("ArnLike", {}).get("AWS:SourceArn")
            m = re.match(r"^(arn:aws:execute-api:[^/]+)/\*/([A-Z]+)(/.*)$", src or "")
            expect(m is not None, f"{name}: permission source ARN {src}")
            if m:
                expect(m.group(1) == execution_prefix, f"{name}: permission for another API {m.group(1)}")
                permitted.add((m.group(2), m.group(3), fn_name))
    want_perm = {(o["method"].upper(), permission_path(route(o)), o["function"]) for o in manifest.values()}
    expect(permitted == want_perm, f"moto permissions {sorted(permitted)} != {sorted(want_perm)}")

    topics = [t["TopicArn"] for t in sns.list_topics()["Topics"] if t["TopicArn"].endswith(f":{a.prefix}-alarms")]
    expect(len(topics) == 1, f"{len(topics)} alarm topics named {a.prefix}-alarms")
    topic = topics[0] if topics else None
    if topic:
        subs = sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"]
        expect(len(subs) >= a.min_subscriptions, f"alarm topic has {len(subs)} subscriptions, want >= {a.min_subscriptions}")
    alarms = [x for x in cw.describe_alarms(MaxRecords=100)["MetricAlarms"] if x["AlarmName"].startswith(f"{a.prefix}-{region}-")]
    want = expected_alarm_keys(manifest_functions, [r for r in a.regions if r != region])
    got = {x["AlarmName"][len(f"{a.prefix}-{region}-"):] for x in alarms}
    expect(got == want, f"moto alarms differ from the expected set: {sorted(got ^ want)}")
    for x in alarms:
        expect(topic in x.get("AlarmActions", []), f"{x['AlarmName']}: actions {x.get('AlarmActions')} miss the topic")
    if a.dashboard:
        dashboards = [d["DashboardName"] for d in cw.list_dashboards()["DashboardEntries"]]
        expect(f"{a.prefix}-{region}" in dashboards, f"no dashboard {a.prefix}-{region} in {dashboards}")
    done(f"moto chain of {len(manifest)} operations in {len(manifest_functions)} functions, {len(alarms)} alarms in {region}")


def cmd_dns(a):
    """Records and health checks as moto holds them, against each region's API and
    custom domain as moto holds them (not against the outputs fed to the dns root)."""
    r53 = client("route53", a.endpoint, "us-east-1")
    checks = {h["Id"]: h["HealthCheckConfig"] for h in r53.list_health_checks()["HealthChecks"]}
    records = [
        r for r in r53.list_resource_record_sets(HostedZoneId=a.zone_id)["ResourceRecordSets"]
        if r["Name"].rstrip(".") == a.domain and r["Type"] == "A"
    ]
    expect({r.get("SetIdentifier") for r in records} == set(a.regions), f"latency records {records} for {a.regions}")
    for region in a.regions:
        apigw = client("apigateway", a.endpoint, region)
        api_id = api_of(apigw, a.prefix)
        domain = apigw.get_domain_name(domainName=a.domain)
        rec = next((r for r in records if r.get("SetIdentifier") == region), {})
        expect(rec.get("Region") == region, f"{region}: record routing region {rec.get('Region')}")
        target = rec.get("AliasTarget", {})
        expect(
            target.get("DNSName", "").rstrip(".") == domain["regionalDomainName"].rstrip("."),
            f"{region}: alias target {target.get('DNSName')} != custom domain {domain['regionalDomainName']}",
        )
        expect(target.get("HostedZoneId") == domain["regionalHostedZoneId"], f"{region}: alias zone {target.get('HostedZoneId')}")
        hc = checks.get(rec.get("HealthCheckId"), {})
        expect(hc.get("Type") == "HTTPS", f"{region}: health check type {hc.get('Type')}")
        expect(
            hc.get("FullyQualifiedDomainName") == f"{api_id}.execute-api.{region}.amazonaws.com",
            f"{region}: health check host {hc.get('FullyQualifiedDomainName')} is not the region's own API {api_id}",
        )
        expect(
            hc.get("ResourcePath") == f"/{a.health_stage}{a.health_path}",
            f"{region}: health check path {hc.get('ResourcePath')} != /{a.health_stage}{a.health_path}",
        )
    cognito = [h for h in checks.values() if h.get("ResourcePath", "").endswith("/.well-known/jwks.json")
               and h.get("ResourcePath", "").startswith(f"/{a.user_pool_id}/")]
    expect(len(cognito) == 1, f"{len(cognito)} health checks of the user pool {a.user_pool_id}'s keys")
    cw = client("cloudwatch", a.endpoint, "us-east-1")
    sns = client("sns", a.endpoint, "us-east-1")
    topic = next((t["TopicArn"] for t in sns.list_topics()["Topics"] if t["TopicArn"].endswith(f":{a.prefix}-dns-alarms")), None)
    expect(topic is not None, f"no topic {a.prefix}-dns-alarms in us-east-1")
    alarms = [x for x in cw.describe_alarms(MaxRecords=100)["MetricAlarms"] if x["AlarmName"].startswith(f"{a.prefix}-dns-")]
    watched = {d["Value"] for x in alarms for d in x["Dimensions"] if d["Name"] == "HealthCheckId"}
    wanted = {r.get("HealthCheckId") for r in records} | {h for h, c in checks.items() if c in cognito}
    expect(watched == wanted, f"health check alarms watch {sorted(watched)}, want {sorted(wanted)}")
    for x in alarms:
        expect(x["Namespace"] == "AWS/Route53" and x["MetricName"] == "HealthCheckStatus", f"{x['AlarmName']}: metric")
        expect(topic in x.get("AlarmActions", []), f"{x['AlarmName']}: actions {x.get('AlarmActions')} miss the topic")
    done(f"dns for {len(a.regions)} regions")


def cmd_global(a):
    state = json.load(open(a.state))
    keys_state = json.load(open(a.keys_state))
    table_key = by_type(keys_state, "aws_kms_key", "this").get("table", {}).get("arn")
    table = by_type(state, "aws_dynamodb_table").get(None, {})
    expect(table.get("name") == f"{a.prefix}-table", f"table name {table.get('name')}")
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
    ddb = client("dynamodb", a.endpoint, a.regions[0]).describe_table(TableName=f"{a.prefix}-table")["Table"]
    sse = ddb.get("SSEDescription", {})
    expect(
        sse.get("Status") == "ENABLED" and sse.get("KMSMasterKeyArn") == table_key,
        f"table encryption {sse} is not the keys root's {a.regions[0]} table key {table_key}",
    )
    pool = by_type(state, "aws_cognito_user_pool").get(None, {})
    expect(pool.get("name") == a.prefix, f"user pool name {pool.get('name')}")
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
    for region in a.regions[1:]:
        sm = client("secretsmanager", a.endpoint, region)
        copy = sm.describe_secret(SecretId=f"{a.prefix}/cursor-hmac-key")
        expect(copy.get("PrimaryRegion") == a.regions[0], f"{region}: the secret copy's primary {copy.get('PrimaryRegion')}")
    version = by_type(state, "aws_secretsmanager_secret_version").get(None, {})
    expect(version.get("has_secret_string_wo") is True, "secret value not written write-only")
    expect(not version.get("secret_string"), "the secret value is in state")
    done("global resources")


# The attributes that name a resource in AWS (what two copies must not share).
NAME_ATTRIBUTES = ("name", "function_name", "alarm_name", "dashboard_name", "domain_name", "reference_name", "stage_name")
# Names that are not global to the account or the region: scoped by the parent
# named in the second element (a stage name is unique within its API only).
SCOPED = {"aws_api_gateway_stage": "rest_api_id", "aws_iam_role_policy": "role", "aws_cognito_user_group": "user_pool_id",
          "aws_cognito_user_pool_client": "user_pool_id", "aws_api_gateway_method_settings": "rest_api_id",
          "aws_api_gateway_base_path_mapping": "domain_name"}


def copy_names(paths):
    """(type, region or global, name) of every named resource of one copy's states."""
    names = set()
    for path in paths:
        state = json.load(open(path))
        region = outputs(state).get("region", "global")
        for r in resources(state):
            if r.get("mode") != "managed":
                continue
            v = r["values"]
            scope = v.get(SCOPED[r["type"]]) if r["type"] in SCOPED else region
            if r["type"] == "aws_route53_record":
                names.add((r["type"], "zone", f"{v['name']}|{v['type']}|{v.get('set_identifier')}"))
                continue
            for attr in NAME_ATTRIBUTES:
                if isinstance(v.get(attr), str) and v[attr]:
                    names.add((r["type"], scope, v[attr]))
    return names


def cmd_collisions(a):
    first, second = copy_names(a.first), copy_names(a.second)
    expect(len(first) > 50 and len(second) > 50, f"too few names to compare: {len(first)}, {len(second)}")
    shared = sorted(first & second)
    expect(not shared, f"names shared by the two copies: {shared}")
    done(f"two copies, {len(first)} and {len(second)} names, none shared")


def cmd_empty(a):
    r53 = client("route53", a.endpoint, "us-east-1")
    iam = client("iam", a.endpoint, "us-east-1")
    left = []
    roles = iam.list_roles()["Roles"]
    left += [f"iam role {r['RoleName']}" for r in roles]
    left += [f"route53 health check {h['Id']}" for h in r53.list_health_checks()["HealthChecks"]]
    buckets = client("s3", a.endpoint, "us-east-1").list_buckets()["Buckets"]
    left += [f"s3 bucket {b['Name']}" for b in buckets if any(b["Name"].startswith(p[:30]) for p in a.prefixes)]
    rrs = r53.list_resource_record_sets(HostedZoneId=a.zone_id)["ResourceRecordSets"]
    left += [f"route53 record {r['Name']} {r['Type']}" for r in rrs if r["Type"] not in ("NS", "SOA")]
    for region in sorted(set(a.regions) | {"us-east-1"}):
        c = lambda s: client(s, a.endpoint, region)  # noqa: E731
        left += [f"{region} lambda {f['FunctionName']}" for f in c("lambda").list_functions()["Functions"]]
        left += [f"{region} rest api {x['name']}" for x in c("apigateway").get_rest_apis()["items"]]
        left += [f"{region} domain {x['domainName']}" for x in c("apigateway").get_domain_names()["items"]]
        left += [f"{region} usage plan {x['name']}" for x in c("apigateway").get_usage_plans()["items"]]
        left += [f"{region} certificate {x['DomainName']}" for x in c("acm").list_certificates()["CertificateSummaryList"]]
        left += [f"{region} log group {x['logGroupName']}" for x in c("logs").describe_log_groups()["logGroups"]]
        left += [f"{region} alarm {x['AlarmName']}" for x in c("cloudwatch").describe_alarms()["MetricAlarms"]]
        left += [f"{region} dashboard {x['DashboardName']}" for x in c("cloudwatch").list_dashboards()["DashboardEntries"]]
        left += [f"{region} topic {x['TopicArn']}" for x in c("sns").list_topics()["Topics"]]
        left += [f"{region} table {x}" for x in c("dynamodb").list_tables()["TableNames"]]
        left += [f"{region} user pool {x['Name']}" for x in c("cognito-idp").list_user_pools(MaxResults=60)["UserPools"]]
        left += [f"{region} secret {x['Name']}" for x in c("secretsmanager").list_secrets()["SecretList"]]
        kms = c("kms")
        for k in kms.list_keys()["Keys"]:
            meta = kms.describe_key(KeyId=k["KeyId"])["KeyMetadata"]
            # Only the copies' keys (their descriptions start with a name prefix);
            # moto creates its own "Default key"s for services on first use.
            ours = any((meta.get("Description") or "").startswith(p) for p in a.prefixes)
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


VALIDATED = re.compile(r'^variable\s+"([^"]+)"\s*\{(.*?)^\}', re.S | re.M)
EXPECTED = re.compile(r"expect_failures\s*=\s*\[([^\]]*)\]")


def cmd_tftest_coverage(a):
    """Every variable with a validation block, wherever it is declared (a file linked
    into several roots counts once), has a run that expects that validation to fail
    in the tests of a root or module that includes the file."""
    root = os.path.realpath(a.terraform_dir)
    validated = {}  # (real file, variable) -> relative path
    covered = set()
    for tf in glob.glob(os.path.join(root, "**", "*.tf"), recursive=True):
        if "/.terraform/" in tf:
            continue
        real = os.path.realpath(tf)
        for name, body in VALIDATED.findall(open(real).read()):
            if "validation {" in body:
                validated[(real, name)] = os.path.relpath(real, root)
    for test in glob.glob(os.path.join(root, "**", "tests", "*.tftest.hcl"), recursive=True):
        if "/.terraform/" in test:
            continue
        module_dir = os.path.dirname(os.path.dirname(test))
        included = {os.path.realpath(f) for f in glob.glob(os.path.join(module_dir, "*.tf"))}
        for group in EXPECTED.findall(open(test).read()):
            for ref in re.findall(r"var\.([A-Za-z0-9_]+)", group):
                covered |= {(f, ref) for f in included}
    missing = sorted(f"{path}: {name}" for (real, name), path in validated.items() if (real, name) not in covered)
    expect(len(validated) > 50, f"only {len(validated)} validated variables found under {root}")
    expect(not missing, f"validated variables no test run expects to fail: {missing}")
    done(f"{len(validated)} validated variables, each rejected by a test run")


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("openapi")
    s.add_argument("--document", required=True)
    s = sub.add_parser("create-zone")
    s.add_argument("--endpoint", required=True)
    s.add_argument("--zone", required=True)
    s = sub.add_parser("body")
    s.add_argument("--manifest", required=True)
    s.add_argument("--state", required=True)
    s.add_argument("--global-state", required=True)
    s.add_argument("--prefix", required=True)
    s.add_argument("--health-stage", default="health")
    s.add_argument("--health-path", default="/health")
    s.add_argument("--docs-path", default="/docs")
    s = sub.add_parser("state-chain")
    s.add_argument("--manifest", required=True)
    s.add_argument("--state", required=True)
    s.add_argument("--prefix", required=True)
    s.add_argument("--region", required=True)
    s.add_argument("--regions", nargs="+", required=True)
    s.add_argument("--table-name", required=True)
    s.add_argument("--table-key", required=True)
    s.add_argument("--reserved", type=int, required=True)
    s.add_argument("--health-reserved", type=int, required=True)
    s.add_argument("--health-timeout", type=int, default=2)
    s.add_argument("--health-path", default="/health")
    s = sub.add_parser("moto-chain")
    s.add_argument("--manifest", required=True)
    s.add_argument("--endpoint", required=True)
    s.add_argument("--prefix", required=True)
    s.add_argument("--region", required=True)
    s.add_argument("--regions", nargs="+", required=True)
    s.add_argument("--stage", default="v1")
    s.add_argument("--health-stage", default="health")
    s.add_argument("--health-path", default="/health")
    s.add_argument("--min-subscriptions", type=int, default=0)
    s.add_argument("--dashboard", action="store_true")
    s = sub.add_parser("dns")
    s.add_argument("--endpoint", required=True)
    s.add_argument("--zone-id", required=True)
    s.add_argument("--domain", required=True)
    s.add_argument("--prefix", required=True)
    s.add_argument("--regions", nargs="+", required=True)
    s.add_argument("--user-pool-id", required=True)
    s.add_argument("--health-stage", default="health")
    s.add_argument("--health-path", default="/health")
    s = sub.add_parser("global")
    s.add_argument("--state", required=True)
    s.add_argument("--keys-state", required=True)
    s.add_argument("--endpoint", required=True)
    s.add_argument("--prefix", required=True)
    s.add_argument("--regions", nargs="+", required=True)
    s = sub.add_parser("collisions")
    s.add_argument("--first", nargs="+", required=True)
    s.add_argument("--second", nargs="+", required=True)
    s = sub.add_parser("empty")
    s.add_argument("--endpoint", required=True)
    s.add_argument("--zone-id", required=True)
    s.add_argument("--regions", nargs="+", required=True)
    s.add_argument("--prefixes", nargs="+", required=True)
    s = sub.add_parser("tftest-coverage")
    s.add_argument("--terraform-dir", required=True)
    a = p.parse_args()
    {
        "openapi": cmd_openapi,
        "create-zone": cmd_create_zone,
        "body": cmd_body,
        "state-chain": cmd_state_chain,
        "moto-chain": cmd_moto_chain,
        "dns": cmd_dns,
        "global": cmd_global,
        "collisions": cmd_collisions,
        "empty": cmd_empty,
        "tftest-coverage": cmd_tftest_coverage,
    }[a.cmd](a)


if __name__ == "__main__":
    main()
