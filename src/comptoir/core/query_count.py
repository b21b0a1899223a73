"""`X-Comptoir-Queries: N` on every response: the SQL statements the request ran.

For benchmarks and query-count checks over HTTP. Installed only when `COMPTOIR_QUERY_COUNT_HEADER=1`
(settings.QUERY_COUNT_HEADER), so it costs nothing otherwise. Counts statements on the default
connection, including those of a failed request.
"""

from __future__ import annotations

from django.db import connection

HEADER = "X-Comptoir-Queries"


class QueryCountMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        count = 0

        def counting(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counting):
            response = self.get_response(request)
        response[HEADER] = str(count)
        return response
