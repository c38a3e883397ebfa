/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * The demo data (--demo, --demo-size N): two schools with their winter and
 * summer holidays, staff demo/demo and demo2/demo2, and students across
 * grades 1-12 with realistic names (polyphonic surnames such as 曾 单 解 仇
 * 区 朴 查 and the compound 欧阳 and 尉迟 included), education IDs, cards
 * and reissues in every state, and placeholder portraits. Deterministic:
 * the same size gives the same data. Fast: one transaction of prepared
 * statements (100 000 students in a few seconds).
 */
#define G_LOG_DOMAIN "co-server"

#include "config.h"

#include <string.h>

#include "co-server-private.h"

#define SCHOOL_1 "北京市海淀区星光实验学校"
#define SCHOOL_2 "北京市朝阳区晨曦学校"
#define SCHOOL_2_SIZE 40
#define N_PHOTO_VARIANTS 12
#define CLASS_SIZE 35

static const char * const special_surnames[] = {
  "曾", "单", "解", "仇", "区", "朴", "查", "欧阳", "尉迟",
};

static const char * const surnames[] = {
  "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高",
  "林", "何", "郭", "马", "罗", "梁", "宋", "郑", "谢", "韩", "唐", "冯", "于", "董", "萧",
  "程", "曹", "袁", "邓", "许", "傅", "沈", "彭", "吕", "苏", "卢", "蒋", "蔡", "贾", "丁",
  "魏", "薛", "叶", "阎", "余", "潘", "杜", "戴", "夏", "钟", "汪", "田", "任", "姜", "范",
  "方", "石", "姚", "谭", "廖", "邹", "熊", "金", "陆", "郝", "孔", "白", "崔", "康", "毛",
  "邱", "秦", "江", "史", "顾", "侯", "邵", "孟", "龙", "万", "段", "雷", "钱", "汤", "尹",
  "黎", "易", "常", "武", "乔", "贺", "赖", "龚", "文", "司马", "诸葛", "上官",
};

static const char * const boy_chars[] = {
  "子", "浩", "宇", "轩", "博", "文", "俊", "泽", "睿", "杰", "晨", "然", "逸", "航", "铭",
  "哲", "昊", "天", "明", "阳", "鑫", "磊", "鹏", "涛", "彬", "凯", "瑞", "嘉", "一", "梓",
  "翔", "强", "伟", "行", "长", "乐", "辰", "皓", "煜", "朗",
};

static const char * const girl_chars[] = {
  "欣", "怡", "梓", "涵", "雨", "萱", "诗", "琪", "佳", "思", "婷", "悦", "可", "馨", "妍",
  "彤", "晴", "雪", "静", "雅", "琳", "芷", "若", "语", "梦", "安", "心", "乐", "美", "丽",
  "一", "诺", "依", "晓", "露", "薇", "菲", "蕾", "颖", "婉",
};

static const char * const districts[] = {
  "海淀区中关村南大街", "海淀区学院路", "海淀区万寿路", "朝阳区望京西路", "朝阳区安立路",
  "西城区西直门内大街", "东城区东四北大街", "丰台区丰台北路", "石景山区鲁谷路", "昌平区回龙观西大街",
};

/* Reissue and card states of the demo, by share of students (per mille). */
typedef enum
{
  DEMO_ACTIVE,
  DEMO_LOST,
  DEMO_PENDING,
  DEMO_PAID,
  DEMO_IN_PRODUCTION,
  DEMO_AWAITING_PICKUP,
  DEMO_SHIPPED,
  DEMO_COLLECTED,
  DEMO_REFUNDED,
  DEMO_WITHDRAWN,
  DEMO_NOT_ISSUED,
  DEMO_NO_CARD,
} DemoState;

typedef struct
{
  CoServer *server;
  GRand    *rand;
  GDate     today;
  int       school_year;
  guint64   card_counter;
  gint64    seq;
  char     *photos[2][N_PHOTO_VARIANTS];
} Seed;

static const char *
pick (Seed               *seed,
      const char * const *list,
      guint               n)
{
  return list[g_rand_int_range (seed->rand, 0, n)];
}

static char *
make_name (Seed     *seed,
           guint     local,
           CoGender  gender)
{
  const char * const *chars = gender == CO_GENDER_MALE ? boy_chars : girl_chars;
  guint n_chars = gender == CO_GENDER_MALE ? G_N_ELEMENTS (boy_chars) : G_N_ELEMENTS (girl_chars);
  const char *surname;
  GString *name;

  /* Every special surname appears in every hundred students. */
  if (local % 100 < G_N_ELEMENTS (special_surnames))
    surname = special_surnames[local % 100];
  else
    surname = pick (seed, surnames, G_N_ELEMENTS (surnames));

  name = g_string_new (surname);
  g_string_append (name, pick (seed, chars, n_chars));
  if (g_rand_int_range (seed->rand, 0, 10) < 8)
    g_string_append (name, pick (seed, chars, n_chars));

  return g_string_free (name, FALSE);
}

static char *
make_phone (Seed *seed)
{
  return g_strdup_printf ("1%d%09d", g_rand_int_range (seed->rand, 3, 10),
                          g_rand_int_range (seed->rand, 0, 1000000000));
}

static char *
date_text (const GDate *date)
{
  return co_format_date (date);
}

/* A time on @date (Beijing), @minutes after 08:00. */
static char *
time_text (Seed        *seed,
           const GDate *date,
           int          minutes)
{
  g_autoptr(GDateTime) dt = g_date_time_new (seed->server->tz, g_date_get_year (date),
                                             g_date_get_month (date), g_date_get_day (date),
                                             8 + minutes / 60, minutes % 60, 0);

  return co_format_time (dt);
}

static gboolean
step (Seed         *seed,
      sqlite3_stmt *stmt,
      GError      **error)
{
  if (!co_db_step_done (seed->server, stmt))
    {
      g_set_error (error, CO_DB_ERROR, 0, "demo seed: %s", sqlite3_errmsg (seed->server->db));
      return FALSE;
    }
  return TRUE;
}

static char *
insert_card (Seed        *seed,
             const char  *edu_id,
             const char  *bjt_no,
             const char  *status,
             const GDate *issued,
             const GDate *valid,
             GError     **error)
{
  g_autofree char *card_no = NULL;
  g_autofree char *uid = NULL;
  g_autofree char *issued_text = issued ? date_text (issued) : NULL;
  g_autofree char *valid_text = valid ? date_text (valid) : NULL;
  g_autofree char *created = time_text (seed, issued ? issued : &seed->today, 0);
  sqlite3_stmt *stmt;

  seed->card_counter++;
  card_no =
    g_strdup_printf ("%016" G_GUINT64_FORMAT, (guint64) 1000751200000000 + seed->card_counter);
  /* Multiplying by an odd constant is a bijection mod 2^32: unique UIDs. */
  uid = g_strdup_printf ("%08X", (guint32) (seed->card_counter * 2654435761u + 0x04000000u));

  stmt =
    co_db_stmt (seed->server, "INSERT INTO cards (card_no, edu_id, bjt_no, uid, status, issued_on,"
                              " valid_until, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  co_db_bind_text (stmt, 1, card_no);
  co_db_bind_text (stmt, 2, edu_id);
  co_db_bind_text (stmt, 3, bjt_no);
  co_db_bind_text (stmt, 4, uid);
  co_db_bind_text (stmt, 5, status);
  co_db_bind_text (stmt, 6, issued_text);
  co_db_bind_text (stmt, 7, valid_text);
  co_db_bind_text (stmt, 8, created);
  if (!step (seed, stmt, error))
    return NULL;

  return g_steal_pointer (&card_no);
}

static DemoState
roll_state (Seed    *seed,
            int      grade,
            CoEntry  entry)
{
  int r = g_rand_int_range (seed->rand, 0, 1000);

  if (entry == CO_ENTRY_TRANSFER_OUTSIDE && r < 300)
    return DEMO_NO_CARD;
  if (grade == 1 && r < 100)
    return DEMO_NOT_ISSUED;
  if (r < 900)
    return DEMO_ACTIVE;
  if (r < 910)
    return DEMO_LOST;
  if (r < 920)
    return DEMO_PENDING;
  if (r < 930)
    return DEMO_PAID;
  if (r < 940)
    return DEMO_IN_PRODUCTION;
  if (r < 950)
    return DEMO_AWAITING_PICKUP;
  if (r < 960)
    return DEMO_SHIPPED;
  if (r < 975)
    return DEMO_COLLECTED;
  if (r < 985)
    return DEMO_REFUNDED;
  if (r < 995)
    return DEMO_WITHDRAWN;
  return DEMO_ACTIVE;
}

typedef struct
{
  const char *status;
  int         min_days; /* applied this many days ago, at least */
  int         max_days;
} ReissueAge;

static const ReissueAge *
reissue_age (DemoState state)
{
  static const ReissueAge ages[] = {
    [DEMO_PENDING]         = { "pending_payment", 0, 2 },
    [DEMO_PAID]            = { "paid", 1, 4 },
    [DEMO_IN_PRODUCTION]   = { "in_production", 5, 25 },
    [DEMO_AWAITING_PICKUP] = { "awaiting_pickup", 28, 40 },
    [DEMO_SHIPPED]         = { "shipped", 28, 35 },
    [DEMO_COLLECTED]       = { "collected", 40, 120 },
    [DEMO_REFUNDED]        = { "refunded", 5, 60 },
    [DEMO_WITHDRAWN]       = { "withdrawn", 3, 60 },
  };

  if (state < DEMO_PENDING || state > DEMO_WITHDRAWN)
    return NULL;
  return &ages[state];
}

/* A reissue of @old_card in @state; for COLLECTED also the new card, which
 * becomes the student's. Returns the reissue id, 0 on error. */
static gint64
insert_reissue (Seed        *seed,
                gint64       school_id,
                const char  *edu_id,
                const char  *surname_of,
                const char  *old_card,
                const char  *bjt_no,
                int          grade,
                DemoState    state,
                char       **new_card_out,
                GError     **error)
{
  const ReissueAge *age = reissue_age (state);
  g_autofree char *created = NULL;
  g_autofree char *paid = NULL;
  g_autofree char *due = NULL;
  g_autofree char *address = NULL;
  g_autofree char *recipient = NULL;
  g_autofree char *phone = NULL;
  g_autofree char *courier_no = NULL;
  g_autofree char *new_card = NULL;
  gboolean home;
  gboolean paid_state;
  int courier_fee = 0;
  sqlite3_stmt *stmt;
  gint64 id;
  GDate day;

  day = seed->today;
  g_date_subtract_days (&day, g_rand_int_range (seed->rand, age->min_days, age->max_days + 1));
  created = time_text (seed, &day, g_rand_int_range (seed->rand, 0, 540));

  if (state == DEMO_AWAITING_PICKUP)
    home = FALSE;
  else if (state == DEMO_SHIPPED)
    home = TRUE;
  else
    home = g_rand_boolean (seed->rand);

  paid_state = state != DEMO_PENDING && state != DEMO_WITHDRAWN;
  if (paid_state)
    {
      GDate due_date;

      paid = time_text (seed, &day, 540);
      co_rules_reissue_due (seed->server->calendar, &day, &due_date, NULL);
      due = date_text (&due_date);
    }

  if (home)
    {
      address = g_strdup_printf (
        "北京市%s%d号院%d号楼%d单元%d", pick (seed, districts, G_N_ELEMENTS (districts)),
        g_rand_int_range (seed->rand, 1, 200), g_rand_int_range (seed->rand, 1, 20),
        g_rand_int_range (seed->rand, 1, 6), g_rand_int_range (seed->rand, 101, 2405));
      recipient = g_strdup_printf ("%s%s", surname_of,
                                   g_rand_boolean (seed->rand) ? "先生" : "女士");
      phone = make_phone (seed);
      courier_fee = 800 + 100 * g_rand_int_range (seed->rand, 0, 8);
      if (state == DEMO_SHIPPED || state == DEMO_COLLECTED)
        courier_no =
          g_strdup_printf ("SF%012" G_GINT64_FORMAT,
                           (gint64) g_rand_int_range (seed->rand, 0, G_MAXINT32) * 1000 + 7);
    }

  if (state == DEMO_COLLECTED)
    {
      GDate issued = seed->today, valid;

      g_date_subtract_days (&issued, g_rand_int_range (seed->rand, 1, age->min_days));
      co_rules_valid_until (grade, &seed->today, &valid);
      new_card = insert_card (seed, edu_id, bjt_no, "active", &issued, &valid, error);
      if (new_card == NULL)
        return 0;
    }

  stmt = co_db_stmt (
    seed->server,
    "INSERT INTO reissues (edu_id, school_id, card_no, status, delivery, address, recipient,"
    " phone, fee_fen, courier_fee_fen, courier_no, created_at, paid_at, due_on, new_card_no)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
  co_db_bind_text (stmt, 1, edu_id);
  sqlite3_bind_int64 (stmt, 2, school_id);
  co_db_bind_text (stmt, 3, old_card);
  co_db_bind_text (stmt, 4, age->status);
  co_db_bind_text (stmt, 5, home ? "home" : "school");
  co_db_bind_text (stmt, 6, address);
  co_db_bind_text (stmt, 7, recipient);
  co_db_bind_text (stmt, 8, phone);
  sqlite3_bind_int (stmt, 9, CO_REISSUE_FEE_FEN);
  if (home)
    sqlite3_bind_int (stmt, 10, courier_fee);
  co_db_bind_text (stmt, 11, courier_no);
  co_db_bind_text (stmt, 12, created);
  co_db_bind_text (stmt, 13, paid);
  co_db_bind_text (stmt, 14, due);
  co_db_bind_text (stmt, 15, new_card);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      g_set_error (error, CO_DB_ERROR, 0, "demo seed: %s", sqlite3_errmsg (seed->server->db));
      return 0;
    }
  id = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  if (new_card_out != NULL)
    *new_card_out = g_steal_pointer (&new_card);
  return id;
}

static gboolean
seed_student (Seed        *seed,
              gint64       school_id,
              guint        global,
              guint        local,
              guint        n,
              GError     **error)
{
  int grade = 1 + (int) ((guint64) local * 12 / n);
  guint first_of_grade = (guint) (((guint64) (grade - 1) * n + 11) / 12);
  guint in_grade = local - first_of_grade;
  g_autofree char *edu_id = g_strdup_printf (
    "%08u", 10000000u + (guint) (((guint64) global * 7919u + 1234567u) % 90000000u));
  g_autofree char *bjt_no = g_strdup_printf ("1101%08u", 10000000u + global);
  g_autofree char *class_name = g_strdup_printf ("%u班", in_grade / CLASS_SIZE + 1);
  g_autofree char *name = NULL;
  g_autofree char *card_no = NULL;
  g_autofree char *new_card = NULL;
  g_autofree char *updated = NULL;
  g_autofree char *surname = NULL;
  CoGender gender = g_rand_boolean (seed->rand) ? CO_GENDER_MALE : CO_GENDER_FEMALE;
  CoEntry entry;
  DemoState state;
  gint64 reissue_id = 0;
  const char *photo = NULL;
  int r;
  sqlite3_stmt *stmt;
  GDate issued, valid;

  name = make_name (seed, local, gender);
  surname = g_utf8_substring (name, 0,
                              g_str_has_prefix (name, "欧阳") || g_str_has_prefix (name, "尉迟") ||
                                  g_str_has_prefix (name, "司马") ||
                                  g_str_has_prefix (name, "诸葛") || g_str_has_prefix (name, "上官")
                                ? 2
                                : 1);

  r = g_rand_int_range (seed->rand, 0, 100);
  if (grade == 1)
    entry = r < 97 ? CO_ENTRY_NEW_ENTRANT : CO_ENTRY_TRANSFER_OUTSIDE;
  else if (grade == 7 || grade == 10)
    entry = r < 80   ? CO_ENTRY_NEW_ENTRANT
            : r < 90 ? CO_ENTRY_TRANSFER_INSIDE
                     : CO_ENTRY_TRANSFER_OUTSIDE;
  else
    entry = r < 96   ? CO_ENTRY_CONTINUING
            : r < 98 ? CO_ENTRY_TRANSFER_INSIDE
                     : CO_ENTRY_TRANSFER_OUTSIDE;

  state = roll_state (seed, grade, entry);

  if (g_rand_int_range (seed->rand, 0, 100) < 97)
    photo = seed->photos[gender][g_rand_int_range (seed->rand, 0, N_PHOTO_VARIANTS)];

  seed->seq++;
  updated = time_text (seed, &seed->today, g_rand_int_range (seed->rand, 0, 60));
  stmt = co_db_stmt (seed->server,
                     "INSERT INTO students (edu_id, school_id, name, gender, grade, class_name,"
                     " entry, photo_etag, seq, removed, updated_at)"
                     " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  co_db_bind_text (stmt, 1, edu_id);
  sqlite3_bind_int64 (stmt, 2, school_id);
  co_db_bind_text (stmt, 3, name);
  co_db_bind_text (stmt, 4, co_enum_to_wire (CO_TYPE_GENDER, gender));
  sqlite3_bind_int (stmt, 5, grade);
  co_db_bind_text (stmt, 6, class_name);
  co_db_bind_text (stmt, 7, co_enum_to_wire (CO_TYPE_ENTRY, entry));
  co_db_bind_text (stmt, 8, photo);
  sqlite3_bind_int64 (stmt, 9, seed->seq);
  /* One in 200 has transferred out: the roster lists them as removed. */
  sqlite3_bind_int (stmt, 10, g_rand_int_range (seed->rand, 0, 200) == 0);
  co_db_bind_text (stmt, 11, updated);
  if (!step (seed, stmt, error))
    return FALSE;

  if (state == DEMO_NO_CARD)
    return TRUE;

  /* The card was made on entering primary school (or on arrival). */
  g_date_clear (&issued, 1);
  g_date_set_dmy (&issued, 10, G_DATE_SEPTEMBER, seed->school_year - (grade - 1));
  co_rules_valid_until (grade, &seed->today, &valid);

  if (state == DEMO_NOT_ISSUED)
    card_no = insert_card (seed, edu_id, bjt_no, "not_issued", NULL, &valid, error);
  else
    {
      const char *status = "active";

      if (state == DEMO_LOST || (state >= DEMO_PENDING && state <= DEMO_SHIPPED) ||
          state == DEMO_WITHDRAWN)
        status = "reported_lost";
      else if (state == DEMO_COLLECTED)
        status = "cancelled";
      card_no = insert_card (seed, edu_id, bjt_no, status, &issued, &valid, error);
    }
  if (card_no == NULL)
    return FALSE;

  /* Now and then the transit company turns a card down (无效卡): the card
   * office reviews it. */
  if (state == DEMO_ACTIVE && g_rand_int_range (seed->rand, 0, 100) == 0)
    {
      stmt = co_db_stmt (seed->server, "UPDATE cards SET transit_rejected = 1 WHERE card_no = ?");
      co_db_bind_text (stmt, 1, card_no);
      if (!step (seed, stmt, error))
        return FALSE;
    }

  if (reissue_age (state) != NULL)
    {
      reissue_id = insert_reissue (seed, school_id, edu_id, surname, card_no, bjt_no, grade, state,
                                   &new_card, error);
      if (reissue_id == 0)
        return FALSE;
    }

  stmt =
    co_db_stmt (seed->server, "UPDATE students SET card_no = ?, reissue_id = ? WHERE edu_id = ?");
  co_db_bind_text (stmt, 1, new_card ? new_card : card_no);
  if (reissue_id > 0)
    sqlite3_bind_int64 (stmt, 2, reissue_id);
  else
    sqlite3_bind_null (stmt, 2);
  co_db_bind_text (stmt, 3, edu_id);

  return step (seed, stmt, error);
}

static gboolean
seed_holidays (Seed    *seed,
               gint64   school_id,
               GError **error)
{
  /* 寒假 and 暑假 of Beijing's primary and secondary schools. */
  static const char * const holidays[][3] = {
    { "寒假", "2024-01-20", "2024-02-25" },
    { "暑假", "2024-07-06", "2024-08-31" },
    { "寒假", "2025-01-18", "2025-02-16" },
    { "暑假", "2025-07-05", "2025-08-31" },
    { "寒假", "2026-01-31", "2026-03-01" },
    { "暑假", "2026-07-04", "2026-08-31" },
    { "寒假", "2027-01-23", "2027-02-21" },
    { "暑假", "2027-07-03", "2027-08-31" },
    { "寒假", "2028-01-15", "2028-02-13" },
    { "暑假", "2028-07-01", "2028-08-31" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (holidays); i++)
    {
      sqlite3_stmt *stmt = co_db_stmt (seed->server, "INSERT INTO school_holidays (school_id, name,"
                                                     " first_day, last_day) VALUES (?, ?, ?, ?)");

      sqlite3_bind_int64 (stmt, 1, school_id);
      co_db_bind_text (stmt, 2, holidays[i][0]);
      co_db_bind_text (stmt, 3, holidays[i][1]);
      co_db_bind_text (stmt, 4, holidays[i][2]);
      if (!step (seed, stmt, error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
seed_school (Seed        *seed,
             const char  *school,
             const char  *username,
             guint        first_global,
             guint        n,
             GError     **error)
{
  gint64 school_id = co_db_ensure_school (seed->server, school);
  sqlite3_stmt *stmt;

  if (school_id < 0)
    {
      g_set_error (error, CO_DB_ERROR, 0, "demo seed: %s", sqlite3_errmsg (seed->server->db));
      return FALSE;
    }

  /* The demo's passwords are the usernames. */
  if (!seed_holidays (seed, school_id, error) ||
      !co_auth_add_staff (seed->server, school_id, username, username, error))
    return FALSE;

  seed->seq = 0;
  for (guint i = 0; i < n; i++)
    {
      if (!seed_student (seed, school_id, first_global + i, i, n, error))
        return FALSE;
    }

  stmt = co_db_stmt (seed->server, "UPDATE schools SET seq = ? WHERE id = ?");
  sqlite3_bind_int64 (stmt, 1, seed->seq);
  sqlite3_bind_int64 (stmt, 2, school_id);

  return step (seed, stmt, error);
}

gboolean
co_demo_seed (CoServer  *server,
              guint      n_students,
              GError   **error)
{
  Seed seed = { 0 };
  sqlite3_stmt *stmt;
  gboolean seeded, ok = FALSE;

  stmt = co_db_stmt (server, "SELECT count (*) FROM schools");
  seeded = sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_int (stmt, 0) > 0;
  sqlite3_reset (stmt);
  if (seeded)
    {
      g_debug ("the database has data already: not seeded again");
      return TRUE;
    }

  seed.server = server;
  seed.rand = g_rand_new_with_seed (20260901);
  co_server_get_today (server, &seed.today);
  seed.school_year =
    g_date_get_year (&seed.today) - (g_date_get_month (&seed.today) < G_DATE_SEPTEMBER);

  if (!co_db_exec (server->db, "BEGIN IMMEDIATE", error))
    goto out;

  for (guint g = 0; g < 2; g++)
    {
      for (guint v = 0; v < N_PHOTO_VARIANTS; v++)
        {
          g_autoptr(GBytes) jpeg = co_photo_placeholder (v, g);

          if (jpeg != NULL && !co_photo_store (server, jpeg, &seed.photos[g][v]))
            {
              g_set_error (error, CO_DB_ERROR, 0, "demo seed: %s", sqlite3_errmsg (server->db));
              goto rollback;
            }
        }
    }

  if (!seed_school (&seed, SCHOOL_1, "demo", 0, n_students, error) ||
      !seed_school (&seed, SCHOOL_2, "demo2", n_students, SCHOOL_2_SIZE, error))
    goto rollback;

  if (!co_db_exec (server->db, "COMMIT", error))
    goto rollback;

  ok = TRUE;
  goto out;

rollback:
  co_db_exec (server->db, "ROLLBACK", NULL);
out:
  for (guint g = 0; g < 2; g++)
    for (guint v = 0; v < N_PHOTO_VARIANTS; v++)
      g_free (seed.photos[g][v]);
  g_rand_free (seed.rand);
  return ok;
}
