/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * `card-office-batch reader` against the PN532 simulator, in-process and as
 * the pn532-sim program: the lines it prints, and a clean end on SIGINT.
 * CARD_OFFICE_BATCH and PN532_SIM name the programs (tests/reader/meson.build).
 */
#define G_LOG_DOMAIN "test-reader-cli"

#include "config.h"

#include <signal.h>
#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "co-pn532-sim.h"

#define DEADLINE_S 30

#define WAIT_UNTIL(cond)                                                      \
  G_STMT_START {                                                              \
    gint64 end_ = g_get_monotonic_time () + DEADLINE_S * G_USEC_PER_SEC;      \
    while (!(cond) && g_get_monotonic_time () < end_)                         \
      g_main_context_iteration (NULL, TRUE);                                  \
    g_assert_true (cond);                                                     \
  } G_STMT_END

static const guint8 uid4[] = { 0xde, 0xad, 0xbe, 0xef };
static const guint8 uid7[] = { 0x04, 0xa1, 0xb2, 0xc3, 0xd4, 0xe5, 0xf6 };

/* A program whose stdout is read line by line as it comes. */
typedef struct
{
  GSubprocess      *process;
  GDataInputStream *out;
  GPtrArray        *lines;
  GString          *err;
  gboolean          eof;
  gboolean          err_eof;
  gboolean          exited;
} Program;

static void read_line (Program *p);

static void
read_line_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Program *p = user_data;
  g_autoptr(GError) error = NULL;
  char *line;

  line = g_data_input_stream_read_line_finish_utf8 (p->out, result, NULL, &error);
  g_assert_no_error (error);
  if (line == NULL)
    {
      p->eof = TRUE;
      return;
    }
  g_test_message ("out: %s", line);
  g_ptr_array_add (p->lines, line);
  read_line (p);
}

static void
read_line (Program *p)
{
  g_data_input_stream_read_line_async (p->out, G_PRIORITY_DEFAULT, NULL, read_line_cb, p);
}

static void
read_err_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Program *p = user_data;
  g_autoptr(GBytes) bytes = NULL;

  bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, NULL);
  if (bytes == NULL || g_bytes_get_size (bytes) == 0)
    {
      p->err_eof = TRUE;
      return;
    }
  g_string_append_len (p->err, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_input_stream_read_bytes_async (G_INPUT_STREAM (object), 4096, G_PRIORITY_DEFAULT, NULL,
                                   read_err_cb, p);
}

static void
wait_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Program *p = user_data;

  g_assert_true (g_subprocess_wait_finish (G_SUBPROCESS (object), result, NULL));
  p->exited = TRUE;
}

static Program *
program_spawn (GSubprocessFlags     extra,
               const char * const  *argv)
{
  g_autoptr(GError) error = NULL;
  Program *p = g_new0 (Program, 1);

  p->process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE | extra, &error);
  g_assert_no_error (error);
  p->out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (p->process));
  p->lines = g_ptr_array_new_with_free_func (g_free);
  p->err = g_string_new (NULL);
  read_line (p);
  g_input_stream_read_bytes_async (g_subprocess_get_stderr_pipe (p->process), 4096,
                                   G_PRIORITY_DEFAULT, NULL, read_err_cb, p);
  g_subprocess_wait_async (p->process, NULL, wait_cb, p);
  return p;
}

static Program *
spawn_cli (const char *device)
{
  const char *batch = g_getenv ("CARD_OFFICE_BATCH");
  const char *argv[] = { batch, "reader", "--device", device, NULL };

  g_assert_nonnull (batch);
  if (device == NULL)
    argv[2] = NULL;
  return program_spawn (G_SUBPROCESS_FLAGS_NONE, argv);
}

/* Sends @signum and waits until it has ended and its output is read. */
static void
program_end (Program *p,
             int      signum)
{
  if (signum != 0)
    g_subprocess_send_signal (p->process, signum);
  WAIT_UNTIL (p->exited && p->eof && p->err_eof);
}

static void
program_free (Program *p)
{
  if (!p->exited)
    {
      g_subprocess_force_exit (p->process);
      WAIT_UNTIL (p->exited);
    }
  WAIT_UNTIL (p->eof && p->err_eof);
  g_test_message ("err: %s", p->err->str);
  g_clear_object (&p->out);
  g_clear_object (&p->process);
  g_ptr_array_unref (p->lines);
  g_string_free (p->err, TRUE);
  g_free (p);
}

static const char *
line (Program *p,
      guint    i)
{
  g_assert_cmpuint (i, <, p->lines->len);
  return g_ptr_array_index (p->lines, i);
}

static void
assert_tap_line (const char *text,
                 const char *uid,
                 const char *type)
{
  g_autofree char *pattern = g_strdup_printf ("^tap UID=%s type=%s ms=[0-9]+\\.[0-9]$", uid, type);

  if (!g_regex_match_simple (pattern, text, 0, 0))
    g_error ("“%s” does not match “%s”", text, pattern);
}

static gboolean
tick_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* Tests */

static void
test_taps (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CoPn532Sim) sim = co_pn532_sim_new (NULL, &error);
  Program *cli;

  g_assert_no_error (error);
  co_pn532_sim_set_delay_ms (sim, CO_PN532_SIM_REAL_DELAY_MS);
  cli = spawn_cli (co_pn532_sim_get_connstring (sim));
  WAIT_UNTIL (cli->lines->len == 1);
  g_assert_cmpstr (line (cli, 0), ==, "reader-found");

  co_pn532_sim_put_card (sim, uid7, sizeof uid7, CO_PN532_SIM_ULTRALIGHT);
  WAIT_UNTIL (cli->lines->len == 2);
  assert_tap_line (line (cli, 1), "04A1B2C3D4E5F6", "mifare_ultralight");

  /* Held: no new line. Taken away and a Classic tapped: one line. */
  co_pn532_sim_remove_card (sim);
  co_pn532_sim_put_card (sim, uid4, sizeof uid4, CO_PN532_SIM_CLASSIC_1K);
  WAIT_UNTIL (cli->lines->len == 3);
  assert_tap_line (line (cli, 2), "DEADBEEF", "mifare_classic_1k");

  /* Pulled away before it was read: no tap, a word on stderr. */
  co_pn532_sim_put_card_briefly (sim, uid7, sizeof uid7, CO_PN532_SIM_ULTRALIGHT, 1);
  WAIT_UNTIL (strstr (cli->err->str, "taken away") != NULL);

  co_pn532_sim_unplug (sim);
  WAIT_UNTIL (cli->lines->len == 4);
  g_assert_cmpstr (line (cli, 3), ==, "reader-lost");
  g_assert_true (co_pn532_sim_replug (sim, &error));
  g_assert_no_error (error);
  WAIT_UNTIL (cli->lines->len == 5);
  g_assert_cmpstr (line (cli, 4), ==, "reader-found");

  co_pn532_sim_put_card (sim, uid7, sizeof uid7, CO_PN532_SIM_CLASSIC_1K);
  WAIT_UNTIL (cli->lines->len == 6);
  assert_tap_line (line (cli, 5), "04A1B2C3D4E5F6", "mifare_classic_1k");

  program_end (cli, SIGINT);
  g_assert_true (g_subprocess_get_if_exited (cli->process));
  g_assert_cmpint (g_subprocess_get_exit_status (cli->process), ==, 0);
  g_assert_cmpuint (cli->lines->len, ==, 6);
  program_free (cli);
}

static void
test_no_reader (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("test-reader-cli-XXXXXX", &error);
  g_autofree char *link = g_build_filename (dir, "reader", NULL);
  g_autofree char *device = g_strdup_printf ("pn532_uart:%s", link);
  g_autoptr(CoPn532Sim) sim = NULL;
  Program *cli;

  g_assert_no_error (error);
  cli = spawn_cli (device);
  WAIT_UNTIL (cli->lines->len == 1);
  g_assert_cmpstr (line (cli, 0), ==, "reader-lost");
  WAIT_UNTIL (strstr (cli->err->str, "No card reader") != NULL);

  /* Plugged in later: found without a restart. */
  sim = co_pn532_sim_new (link, &error);
  g_assert_no_error (error);
  WAIT_UNTIL (cli->lines->len == 2);
  g_assert_cmpstr (line (cli, 1), ==, "reader-found");

  program_end (cli, SIGTERM);
  g_assert_true (g_subprocess_get_if_exited (cli->process));
  g_assert_cmpint (g_subprocess_get_exit_status (cli->process), ==, 0);
  program_free (cli);
  g_clear_pointer (&sim, co_pn532_sim_free);
  g_rmdir (dir);
}

static void
test_bad_option (void)
{
  const char *argv[] = { g_getenv ("CARD_OFFICE_BATCH"), "reader", "--no-such-option", NULL };
  Program *cli;

  g_assert_nonnull (argv[0]);
  cli = program_spawn (G_SUBPROCESS_FLAGS_NONE, argv);
  program_end (cli, 0);
  g_assert_true (g_subprocess_get_if_exited (cli->process));
  g_assert_cmpint (g_subprocess_get_exit_status (cli->process), ==, 2);
  g_assert_cmpuint (cli->lines->len, ==, 0);
  program_free (cli);
}

static void
sim_command (Program    *sim,
             const char *command)
{
  GOutputStream *in = g_subprocess_get_stdin_pipe (sim->process);
  g_autofree char *text = g_strdup_printf ("%s\n", command);
  g_autoptr(GError) error = NULL;
  guint before = sim->lines->len;

  g_assert_true (g_output_stream_write_all (in, text, strlen (text), NULL, NULL, &error));
  g_assert_no_error (error);
  WAIT_UNTIL (sim->lines->len == before + 1);
  g_assert_cmpstr (line (sim, before), ==, "ok");
}

static void
test_sim_program (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("test-reader-cli-XXXXXX", &error);
  g_autofree char *link = g_build_filename (dir, "reader", NULL);
  const char *sim_argv[] = { g_getenv ("PN532_SIM"), "--link", link, "--delay", "52", NULL };
  Program *sim, *cli;
  const char *ready;

  g_assert_no_error (error);
  g_assert_nonnull (sim_argv[0]);
  sim = program_spawn (G_SUBPROCESS_FLAGS_STDIN_PIPE, sim_argv);
  WAIT_UNTIL (sim->lines->len == 1);
  ready = line (sim, 0);
  g_assert_true (g_str_has_prefix (ready, "ready pn532_uart:"));
  g_assert_cmpstr (ready + strlen ("ready pn532_uart:"), ==, link);

  cli = spawn_cli (ready + strlen ("ready "));
  WAIT_UNTIL (cli->lines->len == 1);
  g_assert_cmpstr (line (cli, 0), ==, "reader-found");

  sim_command (sim, "card 04A1B2C3D4E5F6 ultralight");
  WAIT_UNTIL (cli->lines->len == 2);
  assert_tap_line (line (cli, 1), "04A1B2C3D4E5F6", "mifare_ultralight");
  sim_command (sim, "remove");
  sim_command (sim, "card 01020304 classic4k");
  WAIT_UNTIL (cli->lines->len == 3);
  assert_tap_line (line (cli, 2), "01020304", "mifare_classic_4k");
  sim_command (sim, "unplug");
  WAIT_UNTIL (cli->lines->len == 4);
  g_assert_cmpstr (line (cli, 3), ==, "reader-lost");
  sim_command (sim, "replug");
  WAIT_UNTIL (cli->lines->len == 5);
  g_assert_cmpstr (line (cli, 4), ==, "reader-found");

  program_end (cli, SIGINT);
  g_assert_cmpint (g_subprocess_get_exit_status (cli->process), ==, 0);
  program_free (cli);

  {
    GOutputStream *in = g_subprocess_get_stdin_pipe (sim->process);

    g_assert_true (g_output_stream_write_all (in, "quit\n", 5, NULL, NULL, &error));
    g_assert_no_error (error);
  }
  program_end (sim, 0);
  g_assert_true (g_subprocess_get_if_exited (sim->process));
  g_assert_cmpint (g_subprocess_get_exit_status (sim->process), ==, 0);
  g_assert_false (g_file_test (link, G_FILE_TEST_EXISTS));
  program_free (sim);
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  guint tick_id;
  int status;

  /* The programs talk English and plainly, whatever the user's locale. */
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  g_test_init (&argc, &argv, NULL);
  tick_id = g_timeout_add (10, tick_cb, NULL);

  g_test_add_func ("/reader/cli/taps", test_taps);
  g_test_add_func ("/reader/cli/no-reader", test_no_reader);
  g_test_add_func ("/reader/cli/bad-option", test_bad_option);
  g_test_add_func ("/reader/cli/sim-program", test_sim_program);

  status = g_test_run ();
  g_source_remove (tick_id);
  return status;
}
