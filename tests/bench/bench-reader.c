/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * bench-reader: CoReader through the real libnfc against the PN532
 * simulator with a real chip's 52 ms no-answer delay.
 *
 *   BENCH reader.tap_to_verdict_p95  card put in the field -> card-presented
 *                                    delivered on the main context (p95 of
 *                                    50 taps). For now that stands for the
 *                                    verdict: the lookup of the verdict
 *                                    (CoVerifier, offline roster) is added
 *                                    later and will be timed in here too.
 *                                    Target <= 100 ms.
 *   BENCH reader.unplug_detect       pty closed -> reader-lost (median of 7).
 *                                    Target <= 2000 ms.
 *   BENCH reader.replug_detect       reader back -> reader-found (median).
 *   BENCH reader.stop_max            co_reader_stop_async() -> the worker has
 *                                    closed the reader (max of 10). Target
 *                                    <= 200 ms.
 */
#define G_LOG_DOMAIN "bench-reader"

#include "config.h"

#include <math.h>
#include <stdlib.h>

#include "co-pn532-sim.h"
#include "co-reader.h"

#define TAPS       50
#define UNPLUGS    7
#define STOPS      10
#define DEADLINE_S 30

typedef struct
{
  CoPn532Sim *sim;
  CoReader   *reader;
  gint64      presented_at;
  gint64      removed_at;
  gint64      lost_at;
  gint64      found_at;
  gint64      stopped_at;
} Bench;

static gboolean
tick_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

#define WAIT_UNTIL(cond)                                                      \
  G_STMT_START {                                                              \
    gint64 end_ = g_get_monotonic_time () + DEADLINE_S * G_USEC_PER_SEC;      \
    while (!(cond) && g_get_monotonic_time () < end_)                         \
      g_main_context_iteration (NULL, TRUE);                                  \
    if (!(cond))                                                              \
      g_error ("Timed out waiting for %s", #cond);                            \
  } G_STMT_END

static void
pause_ms (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * G_TIME_SPAN_MILLISECOND;

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
}

static void
on_card_presented_cb (CoReader  *reader,
                      CoCardTap *tap,
                      Bench     *b)
{
  b->presented_at = g_get_monotonic_time ();
}

static void
on_card_removed_cb (CoReader  *reader,
                    CoCardTap *tap,
                    Bench     *b)
{
  b->removed_at = g_get_monotonic_time ();
}

static void
on_reader_lost_cb (CoReader     *reader,
                   const GError *error,
                   Bench        *b)
{
  b->lost_at = g_get_monotonic_time ();
}

static void
on_reader_found_cb (CoReader   *reader,
                    const char *connstring,
                    Bench      *b)
{
  b->found_at = g_get_monotonic_time ();
}

static void
stop_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Bench *b = user_data;

  co_reader_stop_finish (CO_READER (object), result, NULL);
  b->stopped_at = g_get_monotonic_time ();
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y ? 1 : 0;
}

/* Sorts @ms in place. */
static double
percentile (double *ms,
            guint   n,
            double  p)
{
  guint i;

  qsort (ms, n, sizeof *ms, compare_doubles);
  i = (guint) ceil (p * n);
  return ms[MIN (MAX (i, 1), n) - 1];
}

static void
print_bench (const char *name,
             double      ms)
{
  char value[G_ASCII_DTOSTR_BUF_SIZE];

  g_print ("BENCH %s %s ms\n", name, g_ascii_formatd (value, sizeof value, "%.1f", ms));
}

int
main (int    argc,
      char **argv)
{
  static const guint8 uid4[] = { 0xde, 0xad, 0xbe, 0xef };
  static const guint8 uid7[] = { 0x04, 0xa1, 0xb2, 0xc3, 0xd4, 0xe5, 0xf6 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (20260101);
  double taps[TAPS], unplugs[UNPLUGS], replugs[UNPLUGS], stops[STOPS];
  Bench b = { 0 };
  guint tick_id;

  g_setenv ("LIBNFC_AUTO_SCAN", "false", FALSE);
  /* libnfc's error lines on each unplug would drown the figures. */
  g_setenv ("LIBNFC_LOG_LEVEL", "0", FALSE);
  tick_id = g_timeout_add (5, tick_cb, NULL);

  b.sim = co_pn532_sim_new (NULL, &error);
  if (b.sim == NULL)
    g_error ("%s", error->message);
  co_pn532_sim_set_delay_ms (b.sim, CO_PN532_SIM_REAL_DELAY_MS);

  b.reader = co_reader_new (co_pn532_sim_get_connstring (b.sim));
  g_signal_connect (b.reader, "card-presented", G_CALLBACK (on_card_presented_cb), &b);
  g_signal_connect (b.reader, "card-removed", G_CALLBACK (on_card_removed_cb), &b);
  g_signal_connect (b.reader, "reader-lost", G_CALLBACK (on_reader_lost_cb), &b);
  g_signal_connect (b.reader, "reader-found", G_CALLBACK (on_reader_found_cb), &b);
  co_reader_start (b.reader);
  WAIT_UNTIL (b.found_at != 0);

  /* Taps at random moments of the reader's poll cycle. */
  for (guint i = 0; i < TAPS; i++)
    {
      gint64 put_at;

      pause_ms (g_rand_int_range (rand, 5, 60));
      b.presented_at = b.removed_at = 0;
      put_at = g_get_monotonic_time ();
      if (i % 2 == 0)
        co_pn532_sim_put_card (b.sim, uid4, sizeof uid4, CO_PN532_SIM_CLASSIC_1K);
      else
        co_pn532_sim_put_card (b.sim, uid7, sizeof uid7, CO_PN532_SIM_ULTRALIGHT);
      WAIT_UNTIL (b.presented_at != 0);
      taps[i] = (b.presented_at - put_at) / 1000.0;
      co_pn532_sim_remove_card (b.sim);
      WAIT_UNTIL (b.removed_at != 0);
    }

  /* Unplugged while idle, or with a card held (odd trials). */
  for (guint i = 0; i < UNPLUGS; i++)
    {
      gint64 unplug_at, replug_at;

      if (i % 2 == 1)
        {
          b.presented_at = 0;
          co_pn532_sim_put_card (b.sim, uid7, sizeof uid7, CO_PN532_SIM_ULTRALIGHT);
          WAIT_UNTIL (b.presented_at != 0);
        }
      pause_ms (g_rand_int_range (rand, 5, 60));
      b.lost_at = b.found_at = 0;
      unplug_at = g_get_monotonic_time ();
      co_pn532_sim_unplug (b.sim);
      WAIT_UNTIL (b.lost_at != 0);
      unplugs[i] = (b.lost_at - unplug_at) / 1000.0;

      co_pn532_sim_remove_card (b.sim);
      pause_ms (g_rand_int_range (rand, 5, 60));
      replug_at = g_get_monotonic_time ();
      if (!co_pn532_sim_replug (b.sim, &error))
        g_error ("%s", error->message);
      WAIT_UNTIL (b.found_at != 0);
      replugs[i] = (b.found_at - replug_at) / 1000.0;
    }

  /* Stopped while polling, or while the chip takes its 52 ms to say a
   * removed card is gone (odd trials). */
  for (guint i = 0; i < STOPS; i++)
    {
      gint64 stop_at;

      if (i % 2 == 1)
        {
          b.presented_at = 0;
          co_pn532_sim_put_card (b.sim, uid7, sizeof uid7, CO_PN532_SIM_ULTRALIGHT);
          WAIT_UNTIL (b.presented_at != 0);
          co_pn532_sim_remove_card (b.sim);
          pause_ms (g_rand_int_range (rand, 10, 40));
        }
      b.stopped_at = 0;
      stop_at = g_get_monotonic_time ();
      co_reader_stop_async (b.reader, NULL, stop_cb, &b);
      WAIT_UNTIL (b.stopped_at != 0);
      stops[i] = (b.stopped_at - stop_at) / 1000.0;

      b.found_at = 0;
      co_reader_start (b.reader);
      WAIT_UNTIL (b.found_at != 0);
    }

  g_print ("PN532 simulator, no-answer delay %d ms\n", CO_PN532_SIM_REAL_DELAY_MS);
  g_print ("  %u taps, card in field -> card-presented on the main context: "
           "median %.1f ms, max %.1f ms\n",
           TAPS, percentile (taps, TAPS, 0.5), percentile (taps, TAPS, 1.0));
  g_print ("  %u unplugs -> reader-lost: max %.1f ms; replug -> reader-found: max %.1f ms\n",
           UNPLUGS, percentile (unplugs, UNPLUGS, 1.0), percentile (replugs, UNPLUGS, 1.0));
  g_print ("  %u stops -> worker done: median %.1f ms\n", STOPS, percentile (stops, STOPS, 0.5));
  print_bench ("reader.tap_to_verdict_p95", percentile (taps, TAPS, 0.95));
  print_bench ("reader.unplug_detect", percentile (unplugs, UNPLUGS, 0.5));
  print_bench ("reader.replug_detect", percentile (replugs, UNPLUGS, 0.5));
  print_bench ("reader.stop_max", percentile (stops, STOPS, 1.0));

  b.stopped_at = 0;
  co_reader_stop_async (b.reader, NULL, stop_cb, &b);
  WAIT_UNTIL (b.stopped_at != 0);
  g_signal_handlers_disconnect_by_data (b.reader, &b);
  g_clear_object (&b.reader);
  g_clear_pointer (&b.sim, co_pn532_sim_free);
  g_source_remove (tick_id);
  return 0;
}
