/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * Benchmark of the verdict (核验): a store of 100,000 generated students
 * (tests/api/roster-gen.h, some with reissued cards, some lost, some with
 * no card) and an event with a class list, then verdicts on a mix of chip
 * UIDs, education IDs and 一卡通号 (as a reader and a scanner give them),
 * each timed alone. Prints
 *   BENCH verify.lookup_100k <us> us      median per verdict, target <= 50 us
 *   BENCH verify.lookup_100k_p99 <us> us
 */
#define G_LOG_DOMAIN "co-bench"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <glib/gstdio.h>

#include "co-store.h"
#include "co-store-private.h"
#include "co-verifier.h"
#include "roster-gen.h"

#define N_STUDENTS 100000
#define PAGE_SIZE  5000
#define N_LOOKUPS  30000

static gint64
now_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (gint64) ts.tv_sec * G_GINT64_CONSTANT (1000000000) + ts.tv_nsec;
}

static int
cmp_gint64 (gconstpointer a,
            gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

static void
fill (CoStore *store)
{
  for (guint first = 0; first < N_STUDENTS; first += PAGE_SIZE)
    {
      g_autoptr(GString) json = g_string_new ("{\"students\":[");
      g_autoptr(GError) error = NULL;
      g_autoptr(CoRosterDelta) page = NULL;
      g_autoptr(CoStoreChanges) changes = _co_store_changes_new ();

      for (guint i = first; i < first + PAGE_SIZE; i++)
        {
          GenStudent s = { .n = i, .version = i % 4 == 1 ? 1 : 0, .no_card = i % 97 == 0,
                           .card_gen = i % 13 == 0 ? 1 : 0, .reissue = i % 5 == 0 };

          if (i > first)
            g_string_append_c (json, ',');
          gen_student_json (json, &s);
        }
      g_string_append (json, "],\"removed\":[],\"next_cursor\":\"c\",\"has_more\":false}");

      page = co_json_decode_roster_page (co_json_parse (json->str, json->len, &error), &error);
      if (page == NULL || !_co_store_apply_roster_page (store, page, FALSE, NULL, changes, &error))
        g_error ("bench-verify: cannot fill the store: %s", error->message);
    }
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("co-bench-verify-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autoptr(CoStore) store = NULL;
  g_autoptr(CoVerifier) verifier = NULL;
  g_autoptr(CoEvent) event = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  g_autofree gint64 *times = g_new (gint64, N_LOOKUPS);
  guint found = 0;
  GDate today;

  if (dir == NULL)
    g_error ("bench-verify: %s", error->message);
  path = g_build_filename (dir, "store.sqlite3", NULL);
  if (!(store = co_store_open (path, &error)))
    g_error ("bench-verify: %s", error->message);

  fill (store);

  verifier = co_verifier_new (store);
  g_date_clear (&today, 1);
  g_date_set_dmy (&today, 2, G_DATE_MARCH, 2026);
  co_verifier_set_today (verifier, &today);
  event = co_event_new ("期中考试", "2026-03-02");
  for (int grade = 1; grade <= 12; grade++)
    for (int c = 1; c <= 4; c++)
      {
        g_autofree char *class_name = g_strdup_printf ("%d班", c);
        co_event_allow_class (event, grade, class_name);
      }
  co_verifier_set_event (verifier, event);

  for (guint i = 0; i < N_LOOKUPS; i++)
    {
      guint n = g_rand_int_range (rand, 0, N_STUDENTS);
      char text[32];
      gint64 start;
      CoVerdict *v;

      switch (i % 3)
        {
        case 0: /* the reader: a chip UID */
          g_snprintf (text, sizeof text, "%08X", 0x04000000u + n * 16 + (n % 13 == 0 ? 1 : 0));
          start = now_ns ();
          v = co_verifier_verify_uid (verifier, text);
          break;
        case 1: /* typed: an education ID */
          g_snprintf (text, sizeof text, "%08u", 10000001 + n);
          start = now_ns ();
          v = co_verifier_verify_text (verifier, text);
          break;
        default: /* scanned QR code: the 一卡通号 */
          g_snprintf (text, sizeof text, "10007512%08u", n * 10 + (n % 13 == 0 ? 1 : 0));
          start = now_ns ();
          v = co_verifier_verify_text (verifier, text);
          break;
        }
      times[i] = now_ns () - start;

      if (v->kind != CO_VERDICT_UNKNOWN && v->kind != CO_VERDICT_BAD_INPUT)
        found++;
      co_verdict_free (v);
    }

  /* Students without a card are unknown by UID and 一卡通号 only. */
  if (found < N_LOOKUPS * 95 / 100)
    g_error ("bench-verify: only %u of %u verdicts found their student", found, N_LOOKUPS);

  qsort (times, N_LOOKUPS, sizeof (gint64), cmp_gint64);
  printf ("BENCH verify.lookup_100k %.1f us\n", times[N_LOOKUPS / 2] / 1000.0);
  printf ("BENCH verify.lookup_100k_p99 %.1f us\n", times[N_LOOKUPS * 99 / 100] / 1000.0);

  g_clear_object (&verifier);
  g_clear_object (&store);
  {
    g_autofree char *wal = g_strconcat (path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (path, "-shm", NULL);
    g_remove (path);
    g_remove (wal);
    g_remove (shm);
    g_rmdir (dir);
  }

  return 0;
}
