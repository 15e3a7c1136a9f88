"""Fails when resources of the SAM template depend on each other in a cycle.

cfn-lint checks cycles only among the resources it sees before the SAM transform, so a function URL
(`{Function}Url`, made by the transform from `FunctionUrlConfig`) referenced from another function's
environment escapes it. This adds those resources, each depending on its function, and walks every
`Ref`, `Fn::GetAtt`, `Fn::Sub` and `DependsOn`.
"""

import re
import sys

from cfnlint.decode import decode


def references(node, found):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "Ref" and isinstance(value, str):
                found.add(value)
            elif key == "Fn::GetAtt":
                found.add(value[0] if isinstance(value, list) else value.split(".")[0])
            elif key == "Fn::Sub":
                text = value if isinstance(value, str) else value[0]
                found.update(re.findall(r"\$\{([^}!.]+)", text))
                references(value, found)
            elif key == "DependsOn":
                found.update([value] if isinstance(value, str) else value)
            else:
                references(value, found)
    elif isinstance(node, list):
        for item in node:
            references(item, found)
    return found


def main(path):
    template, problems = decode(path)
    if problems:
        print(problems)
        return 1
    resources = dict(template["Resources"])
    for name, resource in list(resources.items()):
        if resource.get("Type") == "AWS::Serverless::Function" and "FunctionUrlConfig" in resource.get(
            "Properties", {}
        ):
            resources[name + "Url"] = {"Properties": {"TargetFunctionArn": {"Ref": name}}}
    graph = {name: {r for r in references(body, set()) if r in resources} for name, body in resources.items()}
    state, path_now = {}, []

    def visit(node):
        state[node] = "open"
        path_now.append(node)
        for target in sorted(graph[node]):
            if state.get(target) == "open":
                cycle = path_now[path_now.index(target):] + [target]
                raise SystemExit(f"{path}: resources depend on each other: {' -> '.join(cycle)}")
            if target not in state:
                visit(target)
        state[node] = "done"
        path_now.pop()

    for node in sorted(graph):
        if node not in state:
            visit(node)
    print(f"{path}: no dependency cycle among {len(resources)} resources")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
