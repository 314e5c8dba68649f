"""Looks .coop names up with a real RDAP client from PyPI (the `rdap` package by 20C) and
prints what it understood, as one JSON object, for tests/system/rdap.test.mjs to check.

    client_check.py BASE_URL [domain:NAME | entity:HANDLE | missing:NAME ...]

The client is pointed at our base URL (its `bootstrap_url`), follows the contacts' links as it
does for any registry (`recurse_roles`), parses the vCards (`parsed`), maps the answer into its
normalised schema (`normalized`) and validates it against its pydantic RDAP models
(`rdap.schema.rdap`). Anything it cannot digest raises, and the test fails.
"""

import json
import sys

import rdap
from rdap.exceptions import RdapNotFoundError
from rdap.schema.rdap import Domain, Entity


def main(base_url, lookups):
    client = rdap.RdapClient(
        {
            "bootstrap_url": base_url,
            "timeout": 20,
            "recurse_roles": ["registrar", "administrative", "technical"],
        }
    )
    out = {"client_version": rdap.__version__, "results": []}
    for lookup in lookups:
        kind, _, key = lookup.partition(":")
        if kind == "domain":
            domain = client.get_domain(key)
            model = Domain.model_validate(domain.data)
            normalized = domain.normalized
            out["results"].append(
                {
                    "lookup": lookup,
                    "ldhName": model.ldhName,
                    "handle": model.handle,
                    "status": domain.data.get("status"),
                    "delegationSigned": model.secureDNS.delegationSigned if model.secureDNS else None,
                    "nameservers": [ns.ldhName for ns in model.nameservers],
                    "roles": sorted({role for e in model.entities for role in e.roles}),
                    "parsed": domain.parsed(),
                    "normalized_name": normalized.get("name"),
                    "normalized_contacts": [
                        {"roles": c.get("roles"), "name": c.get("name"), "email": c.get("email")}
                        for c in normalized.get("contacts", [])
                    ],
                    "history": [status for _, status in client.history],
                }
            )
        elif kind == "entity":
            entity = client.get_entity(key)
            model = Entity.model_validate(entity.data)
            out["results"].append(
                {
                    "lookup": lookup,
                    "handle": model.handle,
                    "roles": model.roles,
                    "parsed": entity.parsed(),
                }
            )
        elif kind == "missing":
            try:
                client.get_domain(key)
                out["results"].append({"lookup": lookup, "not_found": False})
            except RdapNotFoundError as error:
                out["results"].append({"lookup": lookup, "not_found": True, "error": str(error)})
        else:
            raise SystemExit(f"unknown lookup {lookup!r}")
    print(json.dumps(out, default=str))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
