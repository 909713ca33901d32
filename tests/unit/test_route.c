/* SPDX-License-Identifier: EUPL-1.2 */
/* The one route table (web/router.c) and its matcher (http/route.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/util.h"
#include "http/route.h"
#include "web/router.h"

static void page_a(struct request *r, struct response *resp) {
  (void)r;
  (void)resp;
}
static void api_a(struct api *a) { (void)a; }

static const struct route table[] = {
    {"GET", "/week", ROLE_ADVISOR, ROUTE_PAGE, page_a, NULL, "datum begeleider"},
    {"POST", "/registreren", ROLE_ADVISOR, ROUTE_PAGE, page_a, NULL, "kind tg-*"},
    {"GET", "/beheer/rij", ROLE_ADMIN, ROUTE_PAGE, page_a, NULL, "*"},
    {"GET", "/api/v1/lines/{code}", ROLE_ADVISOR, ROUTE_API, NULL, api_a, ""},
    {"PUT", "/api/v1/plan/{school_year}/{line}", ROLE_ADMIN, ROUTE_API, NULL, api_a, ""},
};
#define N ((int)(sizeof table / sizeof *table))

static void finds_a_route_by_method_and_path(void **state) {
  (void)state;
  struct route_match m;
  assert_int_equal(route_find(table, N, "GET", "/week", &m), 0);
  assert_ptr_equal(m.route, &table[0]);
  assert_int_equal(m.nparams, 0);
  assert_int_equal(route_find(table, N, "POST", "/week", &m), 405);
  assert_int_equal(route_find(table, N, "GET", "/weeks", &m), 404);
  assert_int_equal(route_find(table, N, "GET", "/week/", &m), 404);
}

static void head_is_get_for_pages_only(void **state) {
  (void)state;
  struct route_match m;
  assert_int_equal(route_find(table, N, "HEAD", "/week", &m), 0);
  assert_int_equal(route_find(table, N, "HEAD", "/api/v1/lines/P1", &m), 405);
}

static void path_parameters_are_decoded(void **state) {
  (void)state;
  struct route_match m;
  assert_int_equal(route_find(table, N, "GET", "/api/v1/lines/P%201", &m), 0);
  assert_int_equal(m.nparams, 1);
  assert_string_equal(m.params[0], "P 1");
  assert_int_equal(route_find(table, N, "PUT", "/api/v1/plan/2024-2025/P3", &m), 0);
  assert_int_equal(m.nparams, 2);
  assert_string_equal(m.params[0], "2024-2025");
  assert_string_equal(m.params[1], "P3");
  /* a parameter is one non-empty segment */
  assert_int_equal(route_find(table, N, "GET", "/api/v1/lines/", &m), 404);
  assert_int_equal(route_find(table, N, "GET", "/api/v1/lines/P1/x", &m), 404);
  /* longer than a parameter may be */
  char path[400] = "/api/v1/lines/";
  memset(path + strlen(path), 'x', 300);
  assert_int_equal(route_find(table, N, "GET", path, &m), 404);
}

static void declared_fields(void **state) {
  (void)state;
  assert_true(route_declares(&table[0], "datum"));
  assert_true(route_declares(&table[0], "begeleider"));
  assert_false(route_declares(&table[0], "dat"));
  assert_false(route_declares(&table[0], "datum2"));
  assert_false(route_declares(&table[0], "csrf")); /* a GET page reads no token */
  assert_true(route_declares(&table[1], "csrf"));  /* every POST page does */
  assert_true(route_declares(&table[1], "tg-leraren"));
  assert_false(route_declares(&table[1], "tg"));
  assert_true(route_declares(&table[2], "anything"));
  assert_false(route_declares(&table[3], "code"));
}

static void undeclared_fields_are_dropped(void **state) {
  (void)state;
  int n = 4;
  struct kv *kv = xcalloc((size_t)n, sizeof *kv);
  static const char *const keys[] = {"kind", "evil", "tg-x", "csrf"};
  for (int i = 0; i < n; i++) {
    kv[i].key = xstrdup(keys[i]);
    kv[i].value = xstrdup("v");
  }
  route_keep_declared(&table[1], kv, &n);
  assert_int_equal(n, 3);
  assert_string_equal(kv[0].key, "kind");
  assert_string_equal(kv[1].key, "tg-x");
  assert_string_equal(kv[2].key, "csrf");
  kv_free(kv, n);
}

static void the_table_is_consistent(void **state) {
  (void)state;
  assert_true(n_routes > 40);
  for (int i = 0; i < n_routes; i++) {
    const struct route *r = &routes[i];
    if (r->surface == ROUTE_API) {
      assert_non_null(r->api);
      assert_null(r->page);
      assert_memory_equal(r->pattern, "/api/v1/", 8);
    } else {
      assert_non_null(r->page);
      assert_null(r->api);
      assert_true(strncmp(r->pattern, "/api/", 5) != 0);
    }
    assert_non_null(r->fields);
    for (int j = 0; j < i; j++)
      if (!strcmp(routes[j].method, r->method) && !strcmp(routes[j].pattern, r->pattern))
        fail_msg("%s %s is in the table twice", r->method, r->pattern);
  }
  /* every route the table has is found as itself */
  struct route_match m;
  assert_int_equal(route_find(routes, n_routes, "GET", "/api/v1/registrations", &m), 0);
  assert_int_equal(m.route->surface, ROUTE_API);
  assert_int_equal(route_find(routes, n_routes, "POST", "/registreren", &m), 0);
  assert_true(route_declares(m.route, "tg-leraren"));
  assert_true(route_declares(m.route, "co"));
  assert_int_equal(route_find(routes, n_routes, "DELETE", "/api/v1/lines/P1", &m), 405);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(finds_a_route_by_method_and_path), cmocka_unit_test(head_is_get_for_pages_only),
      cmocka_unit_test(path_parameters_are_decoded),      cmocka_unit_test(declared_fields),
      cmocka_unit_test(undeclared_fields_are_dropped),    cmocka_unit_test(the_table_is_consistent),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
