/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * Benchmark of the roster search index: 100,000 generated students
 * (surnames by frequency, compound and polyphonic ones included; given names
 * of one or two common characters; 8-digit education IDs, 10-digit 一卡通号,
 * 12-digit 北京通号), the index build (median of several), then a mix of
 * keystrokes as the roster page sees them: every prefix of a typed full
 * pinyin ("z", "zh", ... "zhangsan"), of initials ("z", "zs"), of the
 * Chinese name ("张", "张三") and of an education ID or card number. Prints
 * BENCH lines; each query must find the student it was typed for.
 *
 *   bench-search [--names]   (--names: print the generated roster and exit)
 */
#define G_LOG_DOMAIN "co-bench"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "co-search-index.h"

#define N_STUDENTS   100000
#define BUILD_ROUNDS 7
#define QUERY_ROUNDS 5
#define N_SESSIONS   1000

typedef struct
{
  const char *hanzi;
  const char *pinyin;   /* the surname reading */
  guint       weight;   /* roughly per mille of the population */
} Surname;

static const Surname surnames[] = {
  { "王", "wang", 71 }, { "李", "li", 70 }, { "张", "zhang", 67 }, { "刘", "liu", 54 },
  { "陈", "chen", 45 }, { "杨", "yang", 31 }, { "黄", "huang", 22 }, { "赵", "zhao", 20 },
  { "吴", "wu", 19 }, { "周", "zhou", 19 }, { "徐", "xu", 14 }, { "孙", "sun", 13 },
  { "马", "ma", 12 }, { "朱", "zhu", 11 }, { "胡", "hu", 11 }, { "郭", "guo", 10 },
  { "何", "he", 9 }, { "高", "gao", 9 }, { "林", "lin", 9 }, { "罗", "luo", 8 },
  { "郑", "zheng", 8 }, { "梁", "liang", 7 }, { "谢", "xie", 6 }, { "宋", "song", 6 },
  { "唐", "tang", 6 }, { "许", "xu", 5 }, { "韩", "han", 5 }, { "冯", "feng", 5 },
  { "邓", "deng", 5 }, { "曹", "cao", 5 }, { "彭", "peng", 5 }, { "曾", "zeng", 5 },
  { "肖", "xiao", 4 }, { "田", "tian", 4 }, { "董", "dong", 4 }, { "袁", "yuan", 4 },
  { "潘", "pan", 4 }, { "于", "yu", 4 }, { "蒋", "jiang", 4 }, { "蔡", "cai", 4 },
  { "余", "yu", 4 }, { "杜", "du", 4 }, { "叶", "ye", 4 }, { "程", "cheng", 4 },
  { "苏", "su", 3 }, { "魏", "wei", 3 }, { "吕", "lv", 3 }, { "丁", "ding", 3 },
  { "任", "ren", 3 }, { "沈", "shen", 3 }, { "姚", "yao", 3 }, { "卢", "lu", 3 },
  { "姜", "jiang", 3 }, { "崔", "cui", 3 }, { "钟", "zhong", 3 }, { "谭", "tan", 3 },
  { "陆", "lu", 3 }, { "汪", "wang", 3 }, { "范", "fan", 3 }, { "金", "jin", 3 },
  { "石", "shi", 3 }, { "廖", "liao", 2 }, { "贾", "jia", 2 }, { "夏", "xia", 2 },
  { "韦", "wei", 2 }, { "付", "fu", 2 }, { "方", "fang", 2 }, { "白", "bai", 2 },
  { "邹", "zou", 2 }, { "孟", "meng", 2 }, { "熊", "xiong", 2 }, { "秦", "qin", 2 },
  { "邱", "qiu", 2 }, { "江", "jiang", 2 }, { "尹", "yin", 2 }, { "薛", "xue", 2 },
  { "闫", "yan", 2 }, { "段", "duan", 2 }, { "雷", "lei", 2 }, { "侯", "hou", 2 },
  { "龙", "long", 2 }, { "史", "shi", 2 }, { "陶", "tao", 2 }, { "黎", "li", 2 },
  { "贺", "he", 2 }, { "顾", "gu", 2 }, { "毛", "mao", 2 }, { "郝", "hao", 2 },
  { "龚", "gong", 2 }, { "邵", "shao", 2 }, { "万", "wan", 2 }, { "钱", "qian", 2 },
  { "严", "yan", 2 }, { "武", "wu", 2 }, { "戴", "dai", 2 }, { "莫", "mo", 1 },
  { "孔", "kong", 1 }, { "向", "xiang", 1 }, { "汤", "tang", 1 }, { "覃", "qin", 1 },
  { "单", "shan", 1 }, { "解", "xie", 1 }, { "仇", "qiu", 1 }, { "区", "ou", 1 },
  { "朴", "piao", 1 }, { "查", "zha", 1 }, { "盖", "ge", 1 }, { "缪", "miao", 1 },
  { "乐", "yue", 1 }, { "翟", "zhai", 1 }, { "欧阳", "ouyang", 1 }, { "司马", "sima", 1 },
  { "诸葛", "zhuge", 1 }, { "上官", "shangguan", 1 }, { "尉迟", "yuchi", 1 },
  { "万俟", "moqi", 1 }, { "令狐", "linghu", 1 }, { "皇甫", "huangfu", 1 },
  { "慕容", "murong", 1 }, { "东方", "dongfang", 1 }, { "夏侯", "xiahou", 1 },
  { "长孙", "zhangsun", 1 },
};

/* Common given-name characters with their most common reading. */
static const char given_chars[] =
  "子zi 涵han 浩hao 宇yu 轩xuan 梓zi 欣xin 怡yi 雨yu 泽ze 睿rui 博bo 文wen 思si 嘉jia "
  "佳jia 一yi 俊jun 晨chen 昊hao 然ran 诗shi 琪qi 雅ya 静jing 婷ting 萱xuan 晗han "
  "辰chen 逸yi 航hang 明ming 杰jie 磊lei 鹏peng 强qiang 军jun 伟wei 芳fang 娜na 敏min "
  "丽li 秀xiu 英ying 华hua 慧hui 玲ling 燕yan 霞xia 平ping 刚gang 勇yong 毅yi 峰feng "
  "斌bin 超chao 波bo 辉hui 鑫xin 宁ning 飞fei 鸿hong 志zhi 国guo 建jian 海hai 涛tao "
  "亮liang 凯kai 健jian 洋yang 阳yang 晓xiao 萌meng 瑶yao 瑞rui 琳lin 璐lu 露lu 菲fei "
  "颖ying 悦yue 乐le 行xing 长zhang 重zhong 朝chao 安an 若ruo 曦xi 沐mu 依yi 可ke "
  "馨xin 彤tong 妍yan 蕊rui 艺yi 紫zi 语yu 冰bing 清qing 心xin 诺nuo 恩en 熙xi 钰yu "
  "铭ming 鸣ming 皓hao 翔xiang 宸chen 煜yu 烨ye 锦jin 程cheng 楷kai 楠nan 柏bai 彬bin "
  "杉shan 森sen 林lin 树shu 果guo 禾he 秋qiu 春chun 夏xia 冬dong 梅mei 兰lan 竹zhu "
  "菊ju 荷he 莲lian 蓉rong 芸yun 茜qian 倩qian 琦qi 瑾jin 璇xuan 瑜yu 璟jing 珊shan "
  "珍zhen 珠zhu 玉yu 宝bao 贝bei 金jin 银yin 红hong 丹dan 青qing 蓝lan 白bai 云yun "
  "天tian 星xing 月yue 日ri 光guang 朗lang 晴qing 晶jing 景jing 永yong 久jiu 远yuan "
  "方fang 正zheng 大da 小xiao 中zhong 学xue 武wu 德de 仁ren 义yi 礼li 智zhi 信xin "
  "忠zhong 孝xiao 诚cheng 善shan 美mei 好hao 和he 康kang 泰tai 福fu 禄lu 寿shou 喜xi "
  "庆qing 祥xiang 吉ji 兴xing 旺wang 发fa 达da 成cheng 功gong 胜sheng 利li 立li 新xin "
  "生sheng 田tian 山shan 川chuan 江jiang 河he 湖hu 浪lang 潮chao 涌yong 泉quan 溪xi "
  "源yuan 润run 淼miao 沁qin 浚jun 澄cheng 熠yi 炎yan 焱yan 灿can 烁shuo 煊xuan "
  "炫xuan 彦yan 骏jun 驰chi 腾teng 跃yue 翱ao 翼yi 鹤he 凤feng 龙long 虎hu 豹bao "
  "鹰ying 传chuan 调diao 曾ceng 解jie 区qu 查cha 朴pu 盖gai 都dou 还hai 家jia 相xiang "
  "省sheng 参can 藏cang 宿su 会hui 那na 率lv 色se 觉jue 校xiao 便bian 应ying 员yuan "
  "奕yi 铄shuo 桐tong 柯ke 樱ying 岚lan 昕xin 晟cheng 昱yu 暄xuan 钧jun 锐rui 锋feng "
  "铮zheng 霖lin 霏fei 雯wen 雪xue 霜shuang 蕾lei 薇wei 芷zhi 苒ran 芮rui 芊qian "
  "蔓man 荟hui 萍ping 莹ying 莺ying 鹭lu 鸥ou 雁yan 琛chen 瑄xuan 琰yan 璋zhang 珏jue "
  "玮wei 琨kun 瑛ying 婉wan 娴xian 婕jie 嫣yan 姝shu 妤yu 媛yuan 娅ya 婧jing 嫦chang "
  "淑shu 惠hui 慈ci 宜yi 悠you 恬tian 愉yu 畅chang 舒shu 展zhan 汐xi";

typedef struct
{
  char hanzi[8];
  char pinyin[8];
} GivenChar;

typedef struct
{
  char  name[32];
  char  pinyin[48];
  char  initials[8];
  char  edu_id[16];
  char  card_no[16];
  char  bjt_no[16];
  char *class_name;
} Student;

typedef struct
{
  char  *text;
  guint  student;
} Query;

static double
now_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int
cmp_double (const void *a,
            const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
percentile (double *v,
            guint   n,
            double  p)
{
  qsort (v, n, sizeof *v, cmp_double);
  return v[MIN ((guint) (p * n), n - 1)];
}

static GArray *
parse_given_chars (void)
{
  GArray *chars = g_array_new (FALSE, TRUE, sizeof (GivenChar));
  g_auto(GStrv) words = g_strsplit (given_chars, " ", -1);

  for (guint i = 0; words[i]; i++)
    {
      GivenChar gc = { { 0 }, { 0 } };
      const char *latin = g_utf8_next_char (words[i]);

      memcpy (gc.hanzi, words[i], latin - words[i]);
      g_strlcpy (gc.pinyin, latin, sizeof gc.pinyin);
      g_array_append_val (chars, gc);
    }

  return chars;
}

static Student *
generate_roster (guint n)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20240901);
  g_autoptr(GArray) given = parse_given_chars ();
  static const char *stages[] = { "小学", "初中", "高中" };
  Student *students = g_new0 (Student, n);
  guint total_weight = 0;

  for (guint i = 0; i < G_N_ELEMENTS (surnames); i++)
    total_weight += surnames[i].weight;

  for (guint i = 0; i < n; i++)
    {
      Student *s = &students[i];
      guint pick = g_rand_int_range (rand, 0, total_weight);
      const Surname *surname = surnames;
      guint n_given = g_rand_int_range (rand, 0, 100) < 25 ? 1 : 2;
      guint class_no = i / 40;

      while (pick >= surname->weight)
        pick -= (surname++)->weight;

      g_strlcpy (s->name, surname->hanzi, sizeof s->name);
      g_strlcpy (s->pinyin, surname->pinyin, sizeof s->pinyin);
      s->initials[0] = surname->pinyin[0];
      if (g_utf8_strlen (surname->hanzi, -1) == 2)
        {
          /* A compound surname: the second syllable's initial too. */
          static const char *second[] = { "yang", "ma", "ge", "guan", "chi", "qi", "hu", "fu",
                                          "rong", "fang", "hou", "sun" };
          for (guint k = 0; k < G_N_ELEMENTS (second); k++)
            if (g_str_has_suffix (surname->pinyin, second[k]))
              {
                s->initials[1] = second[k][0];
                break;
              }
        }

      for (guint k = 0; k < n_given; k++)
        {
          const GivenChar *gc = &g_array_index (given, GivenChar,
                                                g_rand_int_range (rand, 0, given->len));

          g_strlcat (s->name, gc->hanzi, sizeof s->name);
          g_strlcat (s->pinyin, gc->pinyin, sizeof s->pinyin);
          s->initials[strlen (s->initials)] = gc->pinyin[0];
        }

      /* Unique numbers: multiplication by a unit modulo the range. */
      g_snprintf (s->edu_id, sizeof s->edu_id, "%08" G_GUINT64_FORMAT,
                  10000000 + ((guint64) i * 7919 + 1234567) % 90000000);
      g_snprintf (s->card_no, sizeof s->card_no, "1000%06" G_GUINT64_FORMAT,
                  ((guint64) i * 104729 + 4321) % 1000000);
      g_snprintf (s->bjt_no, sizeof s->bjt_no, "1101%08" G_GUINT64_FORMAT,
                  ((guint64) i * 15485863 + 99) % 100000000);
      s->class_name = g_strdup_printf ("%s%u年级%u班", stages[class_no % 3],
                                       1 + (class_no / 3) % 6, 1 + class_no / 18);
    }

  return students;
}

static void
add_prefixes (GPtrArray  *queries,
              const char *text,
              guint       student,
              gboolean    by_char)
{
  for (const char *end = by_char ? g_utf8_next_char (text) : text + 1; ;
       end = by_char ? g_utf8_next_char (end) : end + 1)
    {
      Query *q = g_new (Query, 1);

      q->text = g_strndup (text, end - text);
      q->student = student;
      g_ptr_array_add (queries, q);
      if (*end == '\0')
        break;
    }
}

static void
free_query (gpointer data)
{
  Query *q = data;

  g_free (q->text);
  g_free (q);
}

/* What a desk sees: sessions of keystrokes for one student each. */
static GPtrArray *
generate_queries (const Student *students,
                  guint          n)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  GPtrArray *queries = g_ptr_array_new_with_free_func (free_query);

  for (guint i = 0; i < N_SESSIONS; i++)
    {
      guint who = g_rand_int_range (rand, 0, n);
      const Student *s = &students[who];
      guint kind = g_rand_int_range (rand, 0, 100);

      if (kind < 45)
        add_prefixes (queries, s->pinyin, who, FALSE);     /* z zh zha ... zhangsan */
      else if (kind < 60)
        add_prefixes (queries, s->initials, who, FALSE);   /* z zs zsf */
      else if (kind < 75)
        add_prefixes (queries, s->name, who, TRUE);        /* 张 张三 */
      else if (kind < 90)
        add_prefixes (queries, s->edu_id, who, FALSE);     /* 1 11 110 ... */
      else
        add_prefixes (queries, s->card_no, who, FALSE);
    }

  return queries;
}

static gboolean
contains (GArray *matches,
          guint   id)
{
  for (guint i = 0; i < matches->len; i++)
    if (g_array_index (matches, guint, i) == id)
      return TRUE;
  return FALSE;
}

int
main (int    argc,
      char **argv)
{
  Student *students = generate_roster (N_STUDENTS);
  g_autofree CoSearchEntry *entries = g_new (CoSearchEntry, N_STUDENTS);
  g_autoptr(GPtrArray) queries = NULL;
  g_autoptr(GArray) matches = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(CoSearchIndex) index = NULL;
  double build_ms[BUILD_ROUNDS], p50[QUERY_ROUNDS], p99[QUERY_ROUNDS], max_ms[QUERY_ROUNDS];
  g_autofree double *times = NULL;
  guint64 total_matches = 0;
  guint misses = 0;

  if (argc > 1 && g_str_equal (argv[1], "--names"))
    {
      for (guint i = 0; i < N_STUDENTS; i++)
        printf ("%s\t%s\t%s\n", students[i].name, students[i].pinyin, students[i].edu_id);
      return 0;
    }

  for (guint i = 0; i < N_STUDENTS; i++)
    {
      entries[i].id = i;
      entries[i].name = students[i].name;
      entries[i].edu_id = students[i].edu_id;
      entries[i].card_no = students[i].card_no;
      entries[i].bjt_no = students[i].bjt_no;
      entries[i].class_name = students[i].class_name;
    }

  for (guint r = 0; r < BUILD_ROUNDS; r++)
    {
      double t0 = now_ms ();

      g_clear_pointer (&index, co_search_index_unref);
      index = co_search_index_new (entries, N_STUDENTS);
      build_ms[r] = now_ms () - t0;
    }

  queries = generate_queries (students, N_STUDENTS);
  times = g_new (double, queries->len);

  for (guint r = 0; r < QUERY_ROUNDS; r++)
    {
      for (guint i = 0; i < queries->len; i++)
        {
          const Query *q = g_ptr_array_index (queries, i);
          double t0 = now_ms ();

          co_search_index_query (index, q->text, NULL, matches);
          times[i] = now_ms () - t0;

          if (r == 0)
            {
              total_matches += matches->len;
              if (!contains (matches, q->student))
                {
                  if (misses++ < 10)
                    g_printerr ("bench-search: “%s” does not find %s\n", q->text,
                                students[q->student].name);
                }
            }
        }
      max_ms[r] = percentile (times, queries->len, 1.0);
      p50[r] = percentile (times, queries->len, 0.50);
      p99[r] = percentile (times, queries->len, 0.99);
    }

  printf ("students %u, queries %u (x%u rounds), mean matches per query %.0f\n",
          N_STUDENTS, queries->len, QUERY_ROUNDS, (double) total_matches / queries->len);
  printf ("slowest query %.2f ms (median of rounds)\n", percentile (max_ms, QUERY_ROUNDS, 0.5));
  printf ("BENCH search.index_100k %.1f ms\n", percentile (build_ms, BUILD_ROUNDS, 0.5));
  printf ("BENCH search.query_p50 %.3f ms\n", percentile (p50, QUERY_ROUNDS, 0.5));
  printf ("BENCH search.query_p99 %.3f ms\n", percentile (p99, QUERY_ROUNDS, 0.5));

  for (guint i = 0; i < N_STUDENTS; i++)
    g_free (students[i].class_name);
  g_free (students);

  return misses == 0 ? 0 : 1;
}
