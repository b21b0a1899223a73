"""`X-Comptoir-Queries: N` on every response: the SQL statements the request ran.

For benchmarks and query-count checks over HTTP. Installed only when `COMPTOIR_QUERY_COUNT_HEADER=1`
(settings.QUERY_COUNT_HEADER), so it costs nothing otherwise. Counts statements on the default
connection, including those of a failed request. `X-Comptoir-Queries-Sandbox-PSP` tells how many of
them were the sandbox PSP's own bookkeeping: it keeps its tables in the shop's database, where a real
PSP keeps them in its own, so benchmarks count them apart from the shop's.
"""

from __future__ import annotations

from django.db import connection

HEADER = "X-Comptoir-Queries"
SANDBOX_PSP_HEADER = "X-Comptoir-Queries-Sandbox-PSP"
_SANDBOX_PSP_TABLES = '"psp_sandbox_'  # the app's table prefix, as Django quotes it on both databases


def is_sandbox_psp_statement(sql: str) -> bool:
    """Whether a statement reads or writes the sandbox PSP's tables."""
    return _SANDBOX_PSP_TABLES in sql


class QueryCountMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        count = sandbox_psp = 0

        def counting(execute, sql, params, many, context):
            nonlocal count, sandbox_psp
            count += 1
            sandbox_psp += is_sandbox_psp_statement(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counting):
            response = self.get_response(request)
        response[HEADER] = str(count)
        response[SANDBOX_PSP_HEADER] = str(sandbox_psp)
        return response
