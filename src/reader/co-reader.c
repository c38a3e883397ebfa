/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * How CoReader works
 *
 * One worker thread per started reader owns the nfc_device. It never calls
 * libnfc without a bound on the wait: the empty field is polled with one
 * InListPassiveTarget at a time (NP_INFINITE_SELECT off, libnfc waits at
 * most 300 ms for the chip's answer), every other command is bounded by
 * NP_TIMEOUT_COMMAND, and a held card is checked with
 * nfc_initiator_target_is_present(). An unplugged serial reader answers
 * every call with NFC_EIO at once, so loss is seen on the next poll.
 *
 * The worker posts what it finds to a queue drained on the owner's
 * GMainContext, where the signals are emitted. Stopping cancels the
 * worker's GCancellable, which wakes its waits and aborts the command in
 * flight (nfc_abort_command; libnfc can abort the wait for an answer, not
 * the wait for the chip's ACK, so a hung chip holds the worker up to one
 * timeout); the worker is then detached: co_reader_stop() never waits for
 * it, and its later events are dropped.
 *
 * The worker is a thread of its own rather than a GTask in the shared pool:
 * it runs for as long as the reader is started and would pin a pool thread.
 */
#define G_LOG_DOMAIN "co-reader"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <nfc/nfc.h>

#include "co-reader.h"
#include "co-reader-private.h"

/* Timing, in ms. The poll interval bounds the tap-to-signal latency. */
#define POLL_INTERVAL_MS        20
#define PRESENCE_INTERVAL_MS    30
#define RETRY_INTERVAL_MS       250
#define AUTO_RETRY_INTERVAL_MS  1000
/* Host-side bound on any PN53x command; the chip itself gives up on a
 * silent card after ~52 ms. */
#define COMMAND_TIMEOUT_MS      200
/* How long a new worker waits for the previous one to let go of the port. */
#define PREVIOUS_WAIT_MS        3000

/* A silent chip this many times in a row counts as lost. */
#define MAX_TIMEOUTS            2
/* Other failed polls in a row before the reader is reopened. */
#define MAX_POLL_ERRORS         5

typedef enum
{
  EVENT_READER_FOUND,
  EVENT_READER_UNAVAILABLE,
  EVENT_CARD_PRESENTED,
  EVENT_CARD_REMOVED,
  EVENT_READ_FAILED,
  EVENT_EXITED,
} EventKind;

typedef struct
{
  EventKind  kind;
  CoCardTap *tap;
  GError    *error;
  char      *device;
} Event;

typedef struct _Worker Worker;

struct _Worker
{
  gatomicrefcount  ref_count;

  GMutex           mutex;
  GCond            cond;

  /* Set once, read anywhere */
  char            *connstring;
  GMainContext    *context;
  GCancellable    *cancellable;
  gulong           cancelled_id;
  Worker          *previous;

  /* Under mutex */
  nfc_device      *pnd;
  gboolean         in_call;
  gboolean         thread_done;
  GQueue           events;
  gboolean         dispatch_scheduled;

  /* Owner context only */
  CoReader        *reader;
  GList           *stop_tasks;
  gboolean         exited;
};

struct _CoReader
{
  GObject       parent_instance;

  GMainContext *context;
  char         *connstring;
  Worker       *worker;
  Worker       *previous_worker;

  char         *device;
  GError       *error;
  guint         connected : 1;
  guint         lost_reported : 1;
};

G_DEFINE_FINAL_TYPE (CoReader, co_reader, G_TYPE_OBJECT)

G_DEFINE_QUARK (co-card-error-quark, co_card_error)

enum {
  PROP_0,
  PROP_CONNSTRING,
  PROP_RUNNING,
  PROP_CONNECTED,
  PROP_DEVICE,
  PROP_ERROR,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

enum {
  CARD_PRESENTED,
  CARD_REMOVED,
  READ_FAILED,
  READER_FOUND,
  READER_LOST,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

static const nfc_modulation iso14443a = { .nmt = NMT_ISO14443A, .nbr = NBR_106 };

/* Helpers */

/* One libnfc context for the process: nfc_exit() frees libnfc's global
 * driver list, which every context shares, so contexts cannot come and go
 * with readers whose workers may overlap. It is made on the main thread
 * (nfc_init() calls setenv(), which must not race other threads' getenv()). */
static nfc_context *
get_nfc_context (void)
{
  static nfc_context *shared_context;

  if (g_once_init_enter (&shared_context))
    {
      nfc_context *context = NULL;

      nfc_init (&context);
      if (context == NULL)
        g_error ("libnfc could not be initialised");
      g_once_init_leave (&shared_context, context);
    }
  return shared_context;
}

/* nfc_list_devices() may setenv(): one caller at a time. */
static GMutex list_devices_mutex;

static void
event_free (Event *event)
{
  g_clear_pointer (&event->tap, co_card_tap_unref);
  g_clear_error (&event->error);
  g_free (event->device);
  g_free (event);
}

static Worker *
worker_ref (Worker *w)
{
  g_atomic_ref_count_inc (&w->ref_count);
  return w;
}

static void
worker_unref (Worker *w)
{
  if (!g_atomic_ref_count_dec (&w->ref_count))
    return;

  g_assert (w->pnd == NULL);
  g_cancellable_disconnect (w->cancellable, w->cancelled_id);
  g_clear_object (&w->cancellable);
  g_queue_clear_full (&w->events, (GDestroyNotify) event_free);
  g_list_free_full (w->stop_tasks, g_object_unref);
  g_clear_pointer (&w->previous, worker_unref);
  g_clear_pointer (&w->context, g_main_context_unref);
  g_free (w->connstring);
  g_mutex_clear (&w->mutex);
  g_cond_clear (&w->cond);
  g_free (w);
}

static gboolean
worker_stopping (Worker *w)
{
  return g_cancellable_is_cancelled (w->cancellable);
}

/* Runs in whichever thread cancels (the owner's): wake the worker's waits and
 * abort the libnfc command it is waiting on, if any. Between calls the abort
 * is not needed (the worker checks the cancellable) and would be lost. */
static void
on_worker_cancelled_cb (GCancellable *cancellable,
                        Worker       *w)
{
  g_mutex_lock (&w->mutex);
  if (w->pnd != NULL && w->in_call)
    nfc_abort_command (w->pnd);
  g_cond_broadcast (&w->cond);
  g_mutex_unlock (&w->mutex);
}

static void
worker_wait (Worker *w,
             int     ms)
{
  gint64 end = g_get_monotonic_time () + ms * G_TIME_SPAN_MILLISECOND;

  g_mutex_lock (&w->mutex);
  while (!worker_stopping (w))
    if (!g_cond_wait_until (&w->cond, &w->mutex, end))
      break;
  g_mutex_unlock (&w->mutex);
}

static void
call_begin (Worker *w)
{
  g_mutex_lock (&w->mutex);
  w->in_call = TRUE;
  g_mutex_unlock (&w->mutex);
}

static void
call_end (Worker *w)
{
  g_mutex_lock (&w->mutex);
  w->in_call = FALSE;
  g_mutex_unlock (&w->mutex);
}

static gboolean dispatch_events (gpointer data);

static void
worker_post (Worker    *w,
             EventKind  kind,
             CoCardTap *tap,
             GError    *error,
             const char *device)
{
  Event *event = g_new0 (Event, 1);
  gboolean schedule;

  event->kind = kind;
  event->tap = tap != NULL ? co_card_tap_ref (tap) : NULL;
  event->error = error != NULL ? g_error_copy (error) : NULL;
  event->device = g_strdup (device);

  g_mutex_lock (&w->mutex);
  g_queue_push_tail (&w->events, event);
  schedule = !w->dispatch_scheduled;
  w->dispatch_scheduled = TRUE;
  g_mutex_unlock (&w->mutex);

  /* An explicit source, not g_main_context_invoke(): that would run the
   * handler right here if this thread could acquire the context. */
  if (schedule)
    {
      g_autoptr(GSource) source = g_idle_source_new ();

      g_source_set_priority (source, G_PRIORITY_DEFAULT);
      g_source_set_callback (source, dispatch_events, worker_ref (w),
                             (GDestroyNotify) worker_unref);
      g_source_set_static_name (source, "[co-reader] events");
      g_source_attach (source, w->context);
    }
}

static GError *
error_from_nfc (nfc_device *pnd,
                int         code,
                const char *what)
{
  CoCardError card_code;

  switch (code)
    {
    case NFC_ETGRELEASED:
    case NFC_ERFTRANS:
      card_code = CO_CARD_ERROR_CARD_REMOVED;
      break;

    case NFC_ENOTSUCHDEV:
      card_code = CO_CARD_ERROR_NO_READER;
      break;

    default:
      card_code = CO_CARD_ERROR_IO;
      break;
    }

  return g_error_new (CO_CARD_ERROR, card_code, "%s: %s (libnfc error %d)",
                      what, pnd != NULL ? nfc_strerror (pnd) : "no device", code);
}

/* Errors that say the reader itself is gone or broken, not the card. */
static gboolean
is_reader_failure (int    code,
                   guint *timeouts)
{
  switch (code)
    {
    case NFC_EIO:
    case NFC_ENOTSUCHDEV:
    case NFC_ESOFT:
      return TRUE;

    case NFC_ETIMEOUT:
      return ++*timeouts >= MAX_TIMEOUTS;

    default:
      return FALSE;
    }
}

static gboolean
is_serial_driver (const char *driver)
{
  static const char * const serial_drivers[] = {
    "pn532_uart", "arygon", "acr122s", "pn532_spi", "pn532_i2c",
  };

  for (guint i = 0; i < G_N_ELEMENTS (serial_drivers); i++)
    if (g_str_equal (driver, serial_drivers[i]))
      return TRUE;
  return FALSE;
}

/* Who else has the port open ("ModemManager (pid 712)"), as far as /proc
 * lets this user see; NULL when nobody. */
static char *
port_holders (const char *path)
{
  g_autofree char *real = realpath (path, NULL);
  g_autoptr(GDir) proc = NULL;
  g_autoptr(GString) holders = NULL;
  g_autofree char *self = g_strdup_printf ("%d", (int) getpid ());
  const char *pid;

  if (real == NULL || (proc = g_dir_open ("/proc", 0, NULL)) == NULL)
    return NULL;

  while ((pid = g_dir_read_name (proc)) != NULL)
    {
      g_autofree char *fd_path = NULL;
      g_autoptr(GDir) fds = NULL;
      const char *fd;

      if (!g_ascii_isdigit (pid[0]) || g_str_equal (pid, self))
        continue;
      fd_path = g_build_filename ("/proc", pid, "fd", NULL);
      if ((fds = g_dir_open (fd_path, 0, NULL)) == NULL)
        continue;
      while ((fd = g_dir_read_name (fds)) != NULL)
        {
          g_autofree char *link = g_build_filename (fd_path, fd, NULL);
          g_autofree char *target = g_file_read_link (link, NULL);
          g_autofree char *comm_path = NULL;
          g_autofree char *comm = NULL;

          if (target == NULL || !g_str_equal (target, real))
            continue;
          comm_path = g_build_filename ("/proc", pid, "comm", NULL);
          if (!g_file_get_contents (comm_path, &comm, NULL, NULL))
            comm = g_strdup ("?");
          if (holders == NULL)
            holders = g_string_new (NULL);
          else
            g_string_append (holders, ", ");
          g_string_append_printf (holders, "%s (pid %s)", g_strchomp (comm), pid);
          break;
        }
    }

  return holders != NULL ? g_string_free (g_steal_pointer (&holders), FALSE) : NULL;
}

/* libnfc marks a serial port it holds with a termios flag, but Linux drops
 * that bit, so another program is found through /proc instead. */
static void
diagnose_port (const char  *connstring,
               const char  *path,
               GError     **error)
{
  g_autofree char *holders = NULL;
  int fd;

  fd = open (path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0)
    {
      int saved_errno = errno;

      switch (saved_errno)
        {
        case ENOENT:
        case ENODEV:
        case ENXIO:
        case EIO:
          g_set_error (error, CO_CARD_ERROR, CO_CARD_ERROR_NO_READER,
                       "No reader is plugged in at %s", path);
          break;

        case EACCES:
        case EPERM:
          g_set_error (error, CO_CARD_ERROR, CO_CARD_ERROR_PERMISSION_DENIED,
                       "%s cannot be opened by this user (%s); on Debian, add the user to the "
                       "dialout group", path, g_strerror (saved_errno));
          break;

        case EBUSY:
          g_set_error (error, CO_CARD_ERROR, CO_CARD_ERROR_READER_BUSY,
                       "%s is held by another program", path);
          break;

        default:
          g_set_error (error, CO_CARD_ERROR, CO_CARD_ERROR_IO,
                       "%s cannot be opened: %s", path, g_strerror (saved_errno));
          break;
        }
      return;
    }
  close (fd);

  if ((holders = port_holders (path)) != NULL)
    g_set_error (error, CO_CARD_ERROR, CO_CARD_ERROR_READER_BUSY,
                 "%s is in use by another program: %s", path, holders);
  else
    g_set_error (error, CO_CARD_ERROR, CO_CARD_ERROR_NO_READER,
                 "Nothing at %s answers like a PN532 reader (%s)", path, connstring);
}

static gboolean
pcscd_running (const char *proc_root)
{
  g_autoptr(GDir) dir = g_dir_open (proc_root, 0, NULL);
  const char *name;

  if (dir == NULL)
    return FALSE;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL;
      g_autofree char *comm = NULL;

      if (!g_ascii_isdigit (name[0]))
        continue;
      path = g_build_filename (proc_root, name, "comm", NULL);
      if (g_file_get_contents (path, &comm, NULL, NULL) && g_str_equal (g_strchomp (comm), "pcscd"))
        return TRUE;
    }
  return FALSE;
}

static char *
read_sysfs_line (const char *dir,
                 const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  char *text = NULL;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return NULL;
  return g_strstrip (text);
}

/* The driver bound to one of the device's interfaces ("pn533_usb",
 * "usbfs" for a program holding it through libusb), or NULL. */
static char *
bound_driver (const char *device_dir)
{
  g_autoptr(GDir) dir = g_dir_open (device_dir, 0, NULL);
  g_autofree char *base = g_path_get_basename (device_dir);
  const char *name;

  if (dir == NULL)
    return NULL;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *link = NULL;
      g_autofree char *target = NULL;

      /* Interfaces are named "<device>:<config>.<interface>". */
      if (!g_str_has_prefix (name, base) || name[strlen (base)] != ':')
        continue;
      link = g_build_filename (device_dir, name, "driver", NULL);
      target = g_file_read_link (link, NULL);
      if (target != NULL)
        return g_path_get_basename (target);
    }
  return NULL;
}

void
_co_reader_diagnose_usb (const char  *connstring,
                         const char  *sys_root,
                         const char  *proc_root,
                         GError     **error)
{
  /* The USB readers libnfc 1.8 drives (acr122_usb.c, pn53x_usb.c). */
  static const struct { guint16 vendor, product; const char *name; } known[] = {
    { 0x072f, 0x2200, "ACS ACR122" },
    { 0x072f, 0x90cc, "Touchatag" },
    { 0x072f, 0x2214, "ACS ACR1222" },
    { 0x04cc, 0x0531, "Philips PN531" },
    { 0x04cc, 0x2533, "NXP PN533" },
    { 0x04e6, 0x5591, "SCM SCL3711" },
    { 0x04e6, 0x5594, "SCM SCL3712" },
    { 0x054c, 0x0193, "Sony PN531" },
    { 0x1fd3, 0x0608, "ASK LoGO" },
    { 0x054c, 0x02e1, "Sony RC-S360" },
  };
  g_autofree char *devices_dir = g_build_filename (sys_root, "bus", "usb", "devices", NULL);
  g_autoptr(GDir) dir = g_dir_open (devices_dir, 0, NULL);
  const char *what = connstring != NULL ? connstring : "any USB reader";
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *device_dir = g_build_filename (devices_dir, name, NULL);
      g_autofree char *vendor_text = read_sysfs_line (device_dir, "idVendor");
      g_autofree char *product_text = read_sysfs_line (device_dir, "idProduct");
      g_autofree char *driver = NULL;
      guint vendor, product;

      if (vendor_text == NULL || product_text == NULL)
        continue;
      vendor = g_ascii_strtoull (vendor_text, NULL, 16);
      product = g_ascii_strtoull (product_text, NULL, 16);

      for (guint i = 0; i < G_N_ELEMENTS (known); i++)
        {
          if (known[i].vendor != vendor || known[i].product != product)
            continue;

          driver = bound_driver (device_dir);
          if (driver != NULL && g_str_has_prefix (driver, "pn533"))
            g_set_error (error, CO_CARD_ERROR, CO_CARD_ERROR_READER_BUSY,
                         "The %s reader is held by the %s kernel module; unload it "
                         "(modprobe -r pn533_usb) or blacklist it", known[i].name, driver);
          else if (driver != NULL && pcscd_running (proc_root))
            g_set_error (error, CO_CARD_ERROR, CO_CARD_ERROR_READER_BUSY,
                         "The %s reader is held by pcscd; stop it "
                         "(systemctl stop pcscd.socket pcscd)", known[i].name);
          else if (driver != NULL)
            g_set_error (error, CO_CARD_ERROR, CO_CARD_ERROR_READER_BUSY,
                         "The %s reader is in use by another program (%s)", known[i].name, driver);
          else
            g_set_error (error, CO_CARD_ERROR, CO_CARD_ERROR_PERMISSION_DENIED,
                         "The %s reader is plugged in but cannot be opened by this user "
                         "(check the udev rules of libnfc)", known[i].name);
          return;
        }
    }

  g_set_error (error, CO_CARD_ERROR, CO_CARD_ERROR_NO_READER,
               "No reader is plugged in (%s)", what);
}

/* Why nfc_open() failed: libnfc only returns NULL. */
static void
diagnose_open_failure (const char  *connstring,
                       GError     **error)
{
  g_auto(GStrv) parts = NULL;

  if (connstring == NULL)
    {
      _co_reader_diagnose_usb (NULL, "/sys", "/proc", error);
      return;
    }

  parts = g_strsplit (connstring, ":", 3);
  if (parts[0] != NULL && is_serial_driver (parts[0]) && parts[1] != NULL && parts[1][0] != '\0')
    diagnose_port (connstring, parts[1], error);
  else if (parts[0] != NULL && (g_str_has_suffix (parts[0], "_usb") || g_str_equal (parts[0], "usb")))
    _co_reader_diagnose_usb (connstring, "/sys", "/proc", error);
  else
    g_set_error (error, CO_CARD_ERROR, CO_CARD_ERROR_NO_READER,
                 "No reader answers at %s", connstring);
}

/* The same trouble as last time, so nothing new to tell. A reader that was
 * lost and is simply still missing stays "lost". */
static gboolean
same_trouble (const GError *last,
              const GError *error)
{
  if (last == NULL)
    return FALSE;
  if (g_error_matches (last, CO_CARD_ERROR, CO_CARD_ERROR_READER_LOST) &&
      g_error_matches (error, CO_CARD_ERROR, CO_CARD_ERROR_NO_READER))
    return TRUE;
  return last->domain == error->domain && last->code == error->code &&
         g_strcmp0 (last->message, error->message) == 0;
}

static nfc_device *
worker_open (Worker  *w,
             char   **found,
             GError **error)
{
  nfc_context *context = get_nfc_context ();
  nfc_connstring connstring;
  nfc_device *pnd;
  int res;

  if (w->connstring == NULL)
    {
      size_t n;

      g_mutex_lock (&list_devices_mutex);
      n = nfc_list_devices (context, &connstring, 1);
      g_mutex_unlock (&list_devices_mutex);
      if (n == 0)
        {
          diagnose_open_failure (NULL, error);
          return NULL;
        }
    }
  else
    g_strlcpy (connstring, w->connstring, sizeof connstring);

  if ((pnd = nfc_open (context, connstring)) == NULL)
    {
      diagnose_open_failure (connstring, error);
      return NULL;
    }

  /* Bound every command before the first one; no card polling that never
   * ends; no RATS, the UID is all that is needed. */
  if ((res = nfc_device_set_property_int (pnd, NP_TIMEOUT_COMMAND, COMMAND_TIMEOUT_MS)) < 0 ||
      (res = nfc_initiator_init (pnd)) < 0 ||
      (res = nfc_device_set_property_bool (pnd, NP_INFINITE_SELECT, false)) < 0 ||
      (res = nfc_device_set_property_bool (pnd, NP_AUTO_ISO14443_4, false)) < 0)
    {
      g_autofree char *what = g_strdup_printf ("The reader at %s cannot be set up", connstring);

      g_propagate_error (error, error_from_nfc (pnd, res, what));
      nfc_close (pnd);
      return NULL;
    }

  g_mutex_lock (&w->mutex);
  if (worker_stopping (w))
    {
      g_mutex_unlock (&w->mutex);
      nfc_close (pnd);
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "Stopped");
      return NULL;
    }
  w->pnd = pnd;
  g_mutex_unlock (&w->mutex);

  *found = g_strdup (nfc_device_get_connstring (pnd));
  return pnd;
}

static void
worker_close (Worker      *w,
              nfc_device **pnd)
{
  nfc_device *device = g_steal_pointer (pnd);

  if (device == NULL)
    return;

  /* Out of the abort handler's reach before it is freed. */
  g_mutex_lock (&w->mutex);
  w->pnd = NULL;
  g_mutex_unlock (&w->mutex);
  nfc_close (device);
}

static void
worker_lose (Worker      *w,
             nfc_device **pnd,
             int          code,
             GError     **last_trouble)
{
  g_autoptr(GError) error = NULL;

  error = g_error_new (CO_CARD_ERROR, CO_CARD_ERROR_READER_LOST,
                       "The reader at %s stopped answering: %s (libnfc error %d)",
                       nfc_device_get_connstring (*pnd), nfc_strerror (*pnd), code);
  g_debug ("%s", error->message);
  worker_close (w, pnd);
  if (!worker_stopping (w))
    worker_post (w, EVENT_READER_UNAVAILABLE, NULL, error, NULL);
  g_clear_error (last_trouble);
  *last_trouble = g_steal_pointer (&error);
}

/* Talks to the card just found: it answered the poll, now it must answer a
 * read (an Ultralight's page 0, a Classic's re-selection, a CPU card's
 * presence check). A card brushed past the reader fails here. */
static int
worker_check_card (Worker           *w,
                   nfc_device       *pnd,
                   const nfc_target *nt)
{
  int res;

  call_begin (w);
  res = nfc_initiator_target_is_present (pnd, NULL);
  if (res == NFC_EDEVNOTSUPP || res == NFC_EINVARG)
    {
      nfc_target again;

      /* libnfc has no presence check for this chip: select it by UID. */
      res = nfc_initiator_select_passive_target (pnd, nt->nm, nt->nti.nai.abtUid,
                                                 nt->nti.nai.szUidLen, &again);
      if (res == 0)
        res = NFC_ETGRELEASED;
      else if (res > 0)
        res = NFC_SUCCESS;
    }
  call_end (w);
  return res;
}

static int
worker_poll (Worker     *w,
             nfc_device *pnd,
             nfc_target *nt)
{
  int res;

  call_begin (w);
  res = nfc_initiator_select_passive_target (pnd, iso14443a, NULL, 0, nt);
  call_end (w);
  return res;
}

/**
 * _co_reader_tap_from_target:
 * @nt: what libnfc answered to the poll
 *
 * Turns libnfc's answer into a tap: an ISO 14443-A target with a UID of 1
 * to 10 bytes (libnfc fills the struct from the chip's answer, so nothing
 * in it is trusted).
 *
 * Returns: (transfer full) (nullable): the tap, or %NULL with
 *   %CO_CARD_ERROR_IO
 */
CoCardTap *
_co_reader_tap_from_target (const nfc_target  *nt,
                            gint64             present_time,
                            gint64             read_time,
                            GError           **error)
{
  const nfc_iso14443a_info *nai;

  g_return_val_if_fail (nt != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (nt->nm.nmt != NMT_ISO14443A)
    {
      g_set_error (error, CO_CARD_ERROR, CO_CARD_ERROR_IO,
                   "The reader answered for a card of modulation type %d", (int) nt->nm.nmt);
      return NULL;
    }

  nai = &nt->nti.nai;
  if (nai->szUidLen == 0 || nai->szUidLen > sizeof nai->abtUid)
    {
      g_set_error (error, CO_CARD_ERROR, CO_CARD_ERROR_IO,
                   "The card gave a UID of %" G_GSIZE_FORMAT " bytes", nai->szUidLen);
      return NULL;
    }

  return co_card_tap_new (nai->abtUid, nai->szUidLen,
                          (guint16) ((nai->abtAtqa[0] << 8) | nai->abtAtqa[1]),
                          nai->btSak, present_time, read_time);
}

static void
worker_run (Worker *w)
{
  g_autoptr(GError) last_trouble = NULL;
  nfc_device *pnd = NULL;
  guint timeouts = 0;
  guint poll_errors = 0;

  while (!worker_stopping (w))
    {
      g_autoptr(CoCardTap) tap = NULL;
      nfc_target nt;
      gint64 present_time;
      gboolean reader_failed;
      int res;

      if (pnd == NULL)
        {
          g_autoptr(GError) error = NULL;
          g_autofree char *found = NULL;

          pnd = worker_open (w, &found, &error);
          if (pnd == NULL)
            {
              if (worker_stopping (w))
                break;
              if (!same_trouble (last_trouble, error))
                {
                  g_debug ("%s", error->message);
                  worker_post (w, EVENT_READER_UNAVAILABLE, NULL, error, NULL);
                  g_clear_error (&last_trouble);
                  last_trouble = g_steal_pointer (&error);
                }
              worker_wait (w, w->connstring != NULL ? RETRY_INTERVAL_MS : AUTO_RETRY_INTERVAL_MS);
              continue;
            }
          g_clear_error (&last_trouble);
          timeouts = poll_errors = 0;
          g_debug ("Reader open at %s", found);
          worker_post (w, EVENT_READER_FOUND, NULL, NULL, found);
        }

      present_time = g_get_monotonic_time ();
      res = worker_poll (w, pnd, &nt);
      if (worker_stopping (w))
        break;
      if (res < 0)
        {
          if (is_reader_failure (res, &timeouts) || ++poll_errors >= MAX_POLL_ERRORS)
            worker_lose (w, &pnd, res, &last_trouble);
          else
            worker_wait (w, POLL_INTERVAL_MS);
          continue;
        }
      timeouts = poll_errors = 0;
      if (res == 0)
        {
          worker_wait (w, POLL_INTERVAL_MS);
          continue;
        }

      res = worker_check_card (w, pnd, &nt);
      if (worker_stopping (w))
        break;
      if (res < 0)
        {
          if (is_reader_failure (res, &timeouts))
            worker_lose (w, &pnd, res, &last_trouble);
          else
            {
              g_autoptr(GError) error = error_from_nfc (pnd, res, "The card could not be read");

              g_debug ("%s", error->message);
              worker_post (w, EVENT_READ_FAILED, NULL, error, NULL);
              worker_wait (w, POLL_INTERVAL_MS);
            }
          continue;
        }

      {
        g_autoptr(GError) error = NULL;

        tap = _co_reader_tap_from_target (&nt, present_time, g_get_monotonic_time (), &error);
        if (tap == NULL)
          {
            worker_post (w, EVENT_READ_FAILED, NULL, error, NULL);
            worker_wait (w, POLL_INTERVAL_MS);
            continue;
          }
      }
      worker_post (w, EVENT_CARD_PRESENTED, tap, NULL, NULL);

      /* Held: no new tap until it has left. */
      for (;;)
        {
          worker_wait (w, PRESENCE_INTERVAL_MS);
          if (worker_stopping (w))
            break;
          res = worker_check_card (w, pnd, &nt);
          if (worker_stopping (w))
            break;
          if (res == NFC_SUCCESS)
            {
              timeouts = 0;
              continue;
            }
          reader_failed = is_reader_failure (res, &timeouts);
          if (res == NFC_ETIMEOUT && !reader_failed)
            continue;
          worker_post (w, EVENT_CARD_REMOVED, tap, NULL, NULL);
          if (reader_failed)
            worker_lose (w, &pnd, res, &last_trouble);
          break;
        }
    }

  worker_close (w, &pnd);
}

static void
worker_wait_previous (Worker *w)
{
  Worker *previous = w->previous;
  gint64 end = g_get_monotonic_time () + PREVIOUS_WAIT_MS * G_TIME_SPAN_MILLISECOND;

  if (previous == NULL)
    return;

  g_mutex_lock (&previous->mutex);
  while (!previous->thread_done && !worker_stopping (w) && g_get_monotonic_time () < end)
    g_cond_wait_until (&previous->cond, &previous->mutex,
                       MIN (end, g_get_monotonic_time () + 20 * G_TIME_SPAN_MILLISECOND));
  g_mutex_unlock (&previous->mutex);
}

static gpointer
worker_thread (gpointer data)
{
  Worker *w = data;

  worker_wait_previous (w);
  if (!worker_stopping (w))
    worker_run (w);

  worker_post (w, EVENT_EXITED, NULL, NULL, NULL);

  g_mutex_lock (&w->mutex);
  w->thread_done = TRUE;
  g_cond_broadcast (&w->cond);
  g_mutex_unlock (&w->mutex);

  worker_unref (w);
  return NULL;
}

static void
set_error (CoReader     *self,
           const GError *error)
{
  if (self->error == NULL && error == NULL)
    return;
  if (self->error != NULL && error != NULL &&
      self->error->domain == error->domain && self->error->code == error->code &&
      g_strcmp0 (self->error->message, error->message) == 0)
    return;

  g_clear_error (&self->error);
  self->error = error != NULL ? g_error_copy (error) : NULL;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_ERROR]);
}

static void
set_connected (CoReader   *self,
               gboolean    connected,
               const char *device)
{
  if (g_strcmp0 (self->device, device) != 0)
    {
      g_free (self->device);
      self->device = g_strdup (device);
      g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_DEVICE]);
    }
  if (self->connected != !!connected)
    {
      self->connected = !!connected;
      g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_CONNECTED]);
    }
}

static void
handle_event (Worker *w,
              Event  *event)
{
  g_autoptr(CoReader) self = NULL;

  if (event->kind == EVENT_EXITED)
    {
      GList *tasks = g_steal_pointer (&w->stop_tasks);

      w->exited = TRUE;
      for (GList *l = tasks; l != NULL; l = l->next)
        g_task_return_boolean (l->data, TRUE);
      g_list_free_full (tasks, g_object_unref);
      return;
    }

  /* Stopped: what the worker saw since is of no interest. */
  if (w->reader == NULL)
    return;
  self = g_object_ref (w->reader);

  switch (event->kind)
    {
    case EVENT_READER_FOUND:
      g_object_freeze_notify (G_OBJECT (self));
      set_error (self, NULL);
      set_connected (self, TRUE, event->device);
      self->lost_reported = FALSE;
      g_object_thaw_notify (G_OBJECT (self));
      g_signal_emit (self, signals [READER_FOUND], 0, event->device);
      break;

    case EVENT_READER_UNAVAILABLE:
      g_object_freeze_notify (G_OBJECT (self));
      set_error (self, event->error);
      set_connected (self, FALSE, NULL);
      g_object_thaw_notify (G_OBJECT (self));
      if (!self->lost_reported)
        {
          self->lost_reported = TRUE;
          g_signal_emit (self, signals [READER_LOST], 0, event->error);
        }
      break;

    case EVENT_CARD_PRESENTED:
      g_signal_emit (self, signals [CARD_PRESENTED], 0, event->tap);
      break;

    case EVENT_CARD_REMOVED:
      g_signal_emit (self, signals [CARD_REMOVED], 0, event->tap);
      break;

    case EVENT_READ_FAILED:
      g_signal_emit (self, signals [READ_FAILED], 0, event->error);
      break;

    case EVENT_EXITED:
    default:
      g_assert_not_reached ();
    }
}

/* Callbacks */

static gboolean
dispatch_events (gpointer data)
{
  Worker *w = data;

  for (;;)
    {
      Event *event;

      g_mutex_lock (&w->mutex);
      event = g_queue_pop_head (&w->events);
      if (event == NULL)
        w->dispatch_scheduled = FALSE;
      g_mutex_unlock (&w->mutex);

      if (event == NULL)
        break;
      handle_event (w, event);
      event_free (event);
    }

  return G_SOURCE_REMOVE;
}

/* GObject overrides */

static void
co_reader_dispose (GObject *object)
{
  CoReader *self = (CoReader *)object;

  co_reader_stop (self);

  G_OBJECT_CLASS (co_reader_parent_class)->dispose (object);
}

static void
co_reader_finalize (GObject *object)
{
  CoReader *self = (CoReader *)object;

  g_clear_pointer (&self->previous_worker, worker_unref);
  g_clear_pointer (&self->connstring, g_free);
  g_clear_pointer (&self->device, g_free);
  g_clear_error (&self->error);
  g_clear_pointer (&self->context, g_main_context_unref);

  G_OBJECT_CLASS (co_reader_parent_class)->finalize (object);
}

static void
co_reader_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  CoReader *self = CO_READER (object);

  switch (prop_id)
    {
    case PROP_CONNSTRING:
      g_value_set_string (value, self->connstring);
      break;

    case PROP_RUNNING:
      g_value_set_boolean (value, co_reader_get_running (self));
      break;

    case PROP_CONNECTED:
      g_value_set_boolean (value, self->connected);
      break;

    case PROP_DEVICE:
      g_value_set_string (value, self->device);
      break;

    case PROP_ERROR:
      g_value_set_boxed (value, self->error);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
co_reader_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  CoReader *self = CO_READER (object);

  switch (prop_id)
    {
    case PROP_CONNSTRING:
      co_reader_set_connstring (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
co_reader_class_init (CoReaderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = co_reader_dispose;
  object_class->finalize = co_reader_finalize;
  object_class->get_property = co_reader_get_property;
  object_class->set_property = co_reader_set_property;

  /**
   * CoReader:connstring:
   *
   * The libnfc connstring of the reader ("pn532_uart:/dev/ttyUSB0",
   * "acr122_usb:001:004"), or %NULL for the first one nfc_list_devices()
   * finds. Changing it restarts a running reader.
   */
  properties [PROP_CONNSTRING] =
    g_param_spec_string ("connstring", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties [PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * CoReader:connected:
   *
   * Whether a reader is open and polling.
   */
  properties [PROP_CONNECTED] =
    g_param_spec_boolean ("connected", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * CoReader:device:
   *
   * The connstring of the open reader, %NULL when none is.
   */
  properties [PROP_DEVICE] =
    g_param_spec_string ("device", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * CoReader:error:
   *
   * Why no reader is open while running (a #CoCardError), %NULL otherwise.
   */
  properties [PROP_ERROR] =
    g_param_spec_boxed ("error", NULL, NULL, G_TYPE_ERROR,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals [CARD_PRESENTED] =
    g_signal_new ("card-presented", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, g_cclosure_marshal_VOID__BOXED,
                  G_TYPE_NONE, 1, CO_TYPE_CARD_TAP);
  g_signal_set_va_marshaller (signals [CARD_PRESENTED], G_TYPE_FROM_CLASS (klass),
                              g_cclosure_marshal_VOID__BOXEDv);

  signals [CARD_REMOVED] =
    g_signal_new ("card-removed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, g_cclosure_marshal_VOID__BOXED,
                  G_TYPE_NONE, 1, CO_TYPE_CARD_TAP);
  g_signal_set_va_marshaller (signals [CARD_REMOVED], G_TYPE_FROM_CLASS (klass),
                              g_cclosure_marshal_VOID__BOXEDv);

  signals [READ_FAILED] =
    g_signal_new ("read-failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, g_cclosure_marshal_VOID__BOXED,
                  G_TYPE_NONE, 1, G_TYPE_ERROR);
  g_signal_set_va_marshaller (signals [READ_FAILED], G_TYPE_FROM_CLASS (klass),
                              g_cclosure_marshal_VOID__BOXEDv);

  signals [READER_FOUND] =
    g_signal_new ("reader-found", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, g_cclosure_marshal_VOID__STRING,
                  G_TYPE_NONE, 1, G_TYPE_STRING);
  g_signal_set_va_marshaller (signals [READER_FOUND], G_TYPE_FROM_CLASS (klass),
                              g_cclosure_marshal_VOID__STRINGv);

  signals [READER_LOST] =
    g_signal_new ("reader-lost", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, g_cclosure_marshal_VOID__BOXED,
                  G_TYPE_NONE, 1, G_TYPE_ERROR);
  g_signal_set_va_marshaller (signals [READER_LOST], G_TYPE_FROM_CLASS (klass),
                              g_cclosure_marshal_VOID__BOXEDv);
}

static void
co_reader_init (CoReader *self)
{
  self->context = g_main_context_ref_thread_default ();
}

/* Public API */

/**
 * co_reader_new:
 * @connstring: (nullable): the reader's libnfc connstring, or %NULL to use
 *   the first reader nfc_list_devices() finds
 *
 * The reader is idle until co_reader_start(). Its signals are emitted on
 * the thread-default main context of the caller.
 */
CoReader *
co_reader_new (const char *connstring)
{
  return g_object_new (CO_TYPE_READER, "connstring", connstring, NULL);
}

const char *
co_reader_get_connstring (CoReader *self)
{
  g_return_val_if_fail (CO_IS_READER (self), NULL);

  return self->connstring;
}

/**
 * co_reader_set_connstring:
 * @connstring: (nullable): as for co_reader_new()
 *
 * A running reader lets go of the old reader and opens the new one.
 */
void
co_reader_set_connstring (CoReader   *self,
                          const char *connstring)
{
  g_return_if_fail (CO_IS_READER (self));

  if (connstring != NULL && connstring[0] == '\0')
    connstring = NULL;
  if (g_strcmp0 (self->connstring, connstring) == 0)
    return;

  g_free (self->connstring);
  self->connstring = g_strdup (connstring);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_CONNSTRING]);

  if (self->worker != NULL)
    {
      co_reader_stop (self);
      co_reader_start (self);
    }
}

gboolean
co_reader_get_running (CoReader *self)
{
  g_return_val_if_fail (CO_IS_READER (self), FALSE);

  return self->worker != NULL;
}

gboolean
co_reader_get_connected (CoReader *self)
{
  g_return_val_if_fail (CO_IS_READER (self), FALSE);

  return self->connected;
}

/**
 * co_reader_get_device:
 *
 * Returns: (nullable): the connstring of the open reader
 */
const char *
co_reader_get_device (CoReader *self)
{
  g_return_val_if_fail (CO_IS_READER (self), NULL);

  return self->device;
}

/**
 * co_reader_get_error:
 *
 * Returns: (nullable): why no reader is open, while running
 */
const GError *
co_reader_get_error (CoReader *self)
{
  g_return_val_if_fail (CO_IS_READER (self), NULL);

  return self->error;
}

/**
 * co_reader_start:
 *
 * Starts the worker: it opens the reader (or keeps trying, emitting
 * reader-lost with the reason first) and watches for cards. Returns at once.
 */
void
co_reader_start (CoReader *self)
{
  Worker *w;
  GThread *thread;

  g_return_if_fail (CO_IS_READER (self));

  if (self->worker != NULL)
    return;

  get_nfc_context ();

  w = g_new0 (Worker, 1);
  g_atomic_ref_count_init (&w->ref_count);
  g_mutex_init (&w->mutex);
  g_cond_init (&w->cond);
  g_queue_init (&w->events);
  w->connstring = g_strdup (self->connstring);
  w->context = g_main_context_ref (self->context);
  w->cancellable = g_cancellable_new ();
  w->cancelled_id = g_cancellable_connect (w->cancellable, G_CALLBACK (on_worker_cancelled_cb),
                                           w, NULL);
  if (self->previous_worker != NULL && !self->previous_worker->exited)
    w->previous = worker_ref (self->previous_worker);
  w->reader = self;

  self->worker = w;
  self->connected = FALSE;
  self->lost_reported = FALSE;

  thread = g_thread_new ("co-reader", worker_thread, worker_ref (w));
  g_thread_unref (thread);

  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_RUNNING]);
}

/**
 * co_reader_stop:
 *
 * Stops watching: no signal is emitted after this returns, which is at
 * once. The worker aborts the command in flight and closes the reader in
 * the background (use co_reader_stop_async() to know when it has).
 */
void
co_reader_stop (CoReader *self)
{
  Worker *w;

  g_return_if_fail (CO_IS_READER (self));

  if ((w = g_steal_pointer (&self->worker)) == NULL)
    return;

  w->reader = NULL;
  g_cancellable_cancel (w->cancellable);

  g_clear_pointer (&self->previous_worker, worker_unref);
  self->previous_worker = w;

  g_object_freeze_notify (G_OBJECT (self));
  set_connected (self, FALSE, NULL);
  set_error (self, NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_RUNNING]);
  g_object_thaw_notify (G_OBJECT (self));
}

/**
 * co_reader_stop_async:
 *
 * Like co_reader_stop(), then completes once the worker has closed the
 * reader and ended (at once if none runs). A @cancellable cancelled by then
 * makes the result %G_IO_ERROR_CANCELLED; it does not end the wait.
 */
void
co_reader_stop_async (CoReader            *self,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Worker *w;

  g_return_if_fail (CO_IS_READER (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, co_reader_stop_async);

  co_reader_stop (self);

  w = self->previous_worker;
  if (w == NULL || w->exited)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  w->stop_tasks = g_list_prepend (w->stop_tasks, g_steal_pointer (&task));
}

gboolean
co_reader_stop_finish (CoReader      *self,
                       GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (CO_IS_READER (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
