"""SCIM clients for the tests: `scim()`, one raw request with the bearer token, and for the
compliance checks scim2-client's synchronous client over `requests` (the engine scim2-client
ships needs another HTTP library; this is its small contract)."""
import json

import requests
from scim2_client import BaseSyncSCIMClient


SCIM_JSON = {"Content-Type": "application/scim+json"}


def scim(server, token, method, path, body=None):
    return requests.request(method, server.url + "/scim/v2" + path, json=body, timeout=30,
                            headers=dict(SCIM_JSON, Authorization="Bearer %s" % token))


class RequestsScimClient(BaseSyncSCIMClient):
    def __init__(self, base_url, token, **kwargs):
        super().__init__(**kwargs)
        self.base_url, self.token = base_url.rstrip("/"), token

    def request(self, method, url, json=None, params=None, **kwargs):
        headers = {"Authorization": "Bearer %s" % self.token, "Accept": "application/scim+json"}
        body = None
        if json is not None:
            headers["Content-Type"] = "application/scim+json"
            body = _dumps(json)
        target = url if url.startswith("http") else self.base_url + url
        return requests.request(method, target, data=body, params=params, headers=headers,
                                timeout=30, **kwargs)


def _dumps(payload):
    return json.dumps(payload)
