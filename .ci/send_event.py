"""Sends a Function URL event, as `sign-events` writes them, to a function served on localhost
(`make serve`): its method, path, headers and body, as the Function URL would have received them."""

import base64
import json
import sys
import urllib.error
import urllib.request

event = json.load(open(sys.argv[1], encoding="utf-8"))
base = sys.argv[2].rstrip("/")
body = event.get("body") or ""
data = base64.b64decode(body) if event.get("isBase64Encoded") else body.encode("utf-8")
method = event.get("requestContext", {}).get("http", {}).get("method", "POST")
query = event.get("rawQueryString") or ""
url = base + event["rawPath"] + ("?" + query if query else "")
headers = {k: v for k, v in event.get("headers", {}).items() if k.lower() not in ("host", "content-length")}
request = urllib.request.Request(url, data=data, method=method, headers=headers)
try:
    with urllib.request.urlopen(request) as response:
        print(response.status, response.read().decode("utf-8", "replace"))
except urllib.error.HTTPError as e:
    print(e.code, e.read().decode("utf-8", "replace"))
    sys.exit(1)
