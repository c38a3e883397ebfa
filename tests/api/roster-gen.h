/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * Made-up roster JSON for the store and sync tests.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  guint    n;          /* 10000001 + i */
  guint    version;    /* changes name, class and card status */
  gboolean no_card;
  guint    card_gen;   /* a new card number and uid per generation */
  gboolean reissue;
} GenStudent;

static inline void
gen_student_json (GString          *out,
                  const GenStudent *s)
{
  static const char * const statuses[] = { "active", "reported_lost", "active", "not_issued" };
  guint grade = 1 + s->n % 12;
  const char *stage = grade <= 6 ? "primary" : grade <= 9 ? "junior" : "senior";

  g_string_append_printf (out,
                          "{\"edu_id\":\"%08u\",\"name\":\"学生%u-%u\",\"gender\":\"%s\",\"grade\":%u,"
                          "\"class_name\":\"%u班\",\"stage\":\"%s\",\"entry\":\"continuing\","
                          "\"school_name\":\"北京市海淀区示范学校\",\"photo_etag\":%s,"
                          "\"updated_at\":\"2026-03-02T09:15:00+08:00\",\"card\":",
                          10000001 + s->n, s->n, s->version, s->n % 2 ? "male" : "female", grade,
                          1 + (s->n + s->version) % 8, stage,
                          s->n % 3 ? "\"\\\"e1\\\"\"" : "null");

  if (s->no_card)
    g_string_append (out, "null");
  else
    g_string_append_printf (out,
                            "{\"card_no\":\"10007512%08u\",\"bjt_no\":\"1101%08u\",\"uid\":\"%08X\","
                            "\"status\":\"%s\",\"issued_on\":\"2025-09-01\",\"valid_until\":\"2027-08-31\"}",
                            s->n * 10 + s->card_gen, s->n, 0x04000000u + s->n * 16 + s->card_gen,
                            statuses[s->version % 4]);

  g_string_append (out, ",\"reissue\":");
  if (s->reissue)
    g_string_append_printf (out,
                            "{\"id\":%u,\"edu_id\":\"%08u\",\"status\":\"pending_payment\","
                            "\"delivery\":\"school\",\"address\":null,\"recipient\":null,\"phone\":null,"
                            "\"fee_fen\":1500,\"courier_fee_fen\":null,\"courier_no\":null,"
                            "\"created_at\":\"2026-03-02T09:15:00+08:00\",\"paid_at\":null,"
                            "\"due_on\":null,\"payment_expires_at\":null}",
                            1000 + s->n, 10000001 + s->n);
  else
    g_string_append (out, "null");
  g_string_append_c (out, '}');
}

G_END_DECLS
