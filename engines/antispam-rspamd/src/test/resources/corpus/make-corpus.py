#!/usr/bin/env python3
"""Writes the antispam test corpus: hand-written mails made for the tests (no real people, all
addresses and hosts under example.* or documentation networks). The name says the expected
verdict: ham-*, tag-*, refuse-*. Run it after editing a mail here; the .eml files are committed.

Japanese mails come in ISO-2022-JP (7bit, B-encoded subject) and UTF-8 (base64 or quoted-printable
bodies, B- or Q-encoded subjects), as Japanese mailers send them."""
import base64, os, quopri, zlib
from email.header import Header
from email.charset import Charset, QP

HERE = os.path.dirname(os.path.abspath(__file__))

def subject(text, charset, enc):
    if all(ord(c) < 128 for c in text):
        return text
    if enc == "Q":
        cs = Charset("utf-8"); cs.header_encoding = QP
        return Header(text, cs).encode()
    return Header(text, charset).encode()

def address(value, charset, enc):
    if "<" not in value or all(ord(c) < 128 for c in value):
        return value
    name, rest = value.split("<", 1)
    return subject(name.strip(), charset, enc) + " <" + rest

def body_part(text, charset, cte, subtype="plain"):
    if charset == "iso-2022-jp":
        data = text.encode("iso-2022-jp").decode("ascii")
        cte = "7bit"
    elif cte == "base64":
        raw = base64.b64encode(text.encode(charset)).decode()
        data = "\n".join(raw[i:i + 76] for i in range(0, len(raw), 76))
    elif cte == "quoted-printable":
        data = quopri.encodestring(text.encode(charset)).decode("ascii")
    else:
        data = text
        cte = "8bit" if any(ord(c) > 127 for c in text) else "7bit"
    head = f"Content-Type: text/{subtype}; charset={'ISO-2022-JP' if charset == 'iso-2022-jp' else charset.upper()}\n" \
           f"Content-Transfer-Encoding: {cte}\n"
    return head, data

def mail(name, frm, to, subj, text, charset="utf-8", cte="base64", senc="B", extra=(), html=None,
         date="Thu, 3 Dec 2026 10:15:00 +0900", mid=True, attachment=None):
    lines = [f"From: {address(frm, charset, senc)}", f"To: {address(to, charset, senc)}", f"Subject: {subject(subj, charset, senc)}"]
    if date:
        lines.append(f"Date: {date}")
    if mid:
        dom = frm.split("@")[-1].rstrip(">")
        lines.append(f"Message-ID: <{name}.{zlib.crc32(name.encode()) % 100000}@{dom}>")
    lines += list(extra)
    lines.append("MIME-Version: 1.0")
    if html is None and attachment is None:
        h, d = body_part(text, charset, cte)
        out = "\n".join(lines) + "\n" + h + "\n" + d.rstrip("\n") + "\n"
    else:
        kind = "alternative" if attachment is None else "mixed"
        b = f"=_omamori_{kind}_{len(name)}"
        out = "\n".join(lines) + f"\nContent-Type: multipart/{kind}; boundary=\"{b}\"\n\n"
        parts = []
        if text is not None:
            parts.append(body_part(text, charset, cte))
        if html is not None:
            parts.append(body_part(html, charset, cte, "html"))
        for h, d in parts:
            out += f"--{b}\n{h}\n{d.rstrip(chr(10))}\n"
        if attachment:
            fname, ctype, content = attachment
            raw = base64.b64encode(content).decode()
            out += f"--{b}\nContent-Type: {ctype}; name=\"{fname}\"\nContent-Disposition: attachment; filename=\"{fname}\"\n" \
                   f"Content-Transfer-Encoding: base64\n\n" + "\n".join(raw[i:i + 76] for i in range(0, len(raw), 76)) + "\n"
        out += f"--{b}--\n"
    with open(os.path.join(HERE, name + ".eml"), "w", encoding="ascii" if charset == "iso-2022-jp" else "utf-8", newline="\n") as f:
        f.write(out)

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"

# ---------------------------------------------------------------- ham, Japanese
mail("ham-ja-meeting-utf8", "山田 太郎 <taro.yamada@example.co.jp>", "suzuki@example.jp", "来週の定例会議の日程について",
     "鈴木様\n\nいつもお世話になっております。山田です。\n来週の定例会議ですが、12月10日（木）14時から第二会議室で開催いたします。\n"
     "議題は来期の予算案と新しい勤怠システムの導入についてです。\nご都合が悪い場合はご連絡ください。\n\nよろしくお願いいたします。\n山田")
mail("ham-ja-invoice-iso2022jp", "経理部 佐藤 <sato@example.co.jp>", "tanaka@example.jp", "請求書送付のご案内（2026年11月分）",
     "田中様\n\nお世話になっております。株式会社サンプル商事 経理部の佐藤です。\n11月分の請求書を添付にてお送りいたします。\n"
     "お支払い期日は12月末日となっております。\nご確認のほど、よろしくお願い申し上げます。\n\n佐藤 花子", charset="iso-2022-jp",
     attachment=("invoice-202611.pdf", "application/pdf", PDF))
mail("ham-ja-newsletter-qp", "総務部 <soumu@example.co.jp>", "all@example.co.jp", "社内報 12月号のお知らせ",
     "社員各位\n\n社内報12月号を社内ポータルに掲載しました。\n今月は新入社員の紹介と、年末の大掃除の予定を載せています。\n"
     "大掃除は12月25日の午後に行います。各部署でご準備をお願いします。\n\n総務部", cte="quoted-printable", senc="Q")
mail("ham-ja-reply-iso2022jp", "高橋 一郎 <takahashi@example.jp>", "ito@example.co.jp", "Re: お見積りの件",
     "伊藤様\n\nご連絡ありがとうございます。\nお見積りの内容、確認いたしました。\n数量を100個から120個に変更した場合の金額も教えていただけますでしょうか。\n"
     "\n> お見積書をお送りします。\n> ご検討のほどよろしくお願いいたします。\n\n高橋", charset="iso-2022-jp",
     extra=["In-Reply-To: <quote-4711@example.co.jp>", "References: <quote-4711@example.co.jp>"])
mail("ham-ja-shipping-utf8", "サンプル書店 <order@shop.example.jp>", "kobayashi@example.jp", "【サンプル書店】ご注文の商品を発送しました",
     "小林様\n\nサンプル書店をご利用いただきありがとうございます。\nご注文の商品を本日発送いたしました。\n\n注文番号: 2026-1203-0042\n"
     "商品: プログラミング入門 ほか1点\n配送業者: サンプル運輸\n\nお届けまで2〜3日ほどかかります。\n今後ともよろしくお願いいたします。")
mail("ham-ja-alternative-utf8", "中村 <nakamura@example.co.jp>", "yoshida@example.jp", "資料の共有について",
     "吉田様\n\n先日の打ち合わせで使用した資料を共有フォルダに置きました。\nフォルダ名は「2026年度 企画」です。\nご不明な点があればお知らせください。\n\n中村",
     html="<html><body><p>吉田様</p><p>先日の打ち合わせで使用した資料を共有フォルダに置きました。<br>フォルダ名は「2026年度 企画」です。<br>"
          "ご不明な点があればお知らせください。</p><p>中村</p></body></html>")
mail("ham-ja-campaign-legit-utf8", "サンプル家電 <news@mail.example.com>", "kato@example.jp", "サンプル家電 メールマガジン 12月号",
     "いつもサンプル家電をご利用いただきありがとうございます。\n今月は冬の暖房器具特集です。\n省エネ性能の高いエアコンの選び方をご紹介します。\n\n"
     "店舗の年末年始の営業時間は店舗ページでご確認ください。\n\nメールマガジンの配信停止はこちらのページから手続きできます。\n"
     "https://www.example.com/mailmagazine/settings",
     extra=["List-Unsubscribe: <https://www.example.com/mailmagazine/settings>"])
mail("ham-ja-holiday-iso2022jp", "株式会社サンプル 営業部 <sales@example.co.jp>", "customer@example.jp", "年末年始休業のお知らせ",
     "お客様各位\n\n平素は格別のご高配を賜り、厚く御礼申し上げます。\n誠に勝手ながら、12月29日から1月4日まで年末年始休業とさせていただきます。\n"
     "休業期間中のお問い合わせは、1月5日以降に順次対応いたします。\n\n株式会社サンプル 営業部", charset="iso-2022-jp")
mail("ham-ja-interview-utf8", "採用担当 松本 <saiyo@example.co.jp>", "applicant@example.jp", "一次面接の日程のご連絡",
     "応募者様\n\nこのたびは弊社の求人にご応募いただき、ありがとうございます。\n一次面接を12月15日（火）10時より、オンラインで実施いたします。\n"
     "当日はカメラとマイクの準備をお願いいたします。\n\n採用担当 松本", cte="quoted-printable")
mail("ham-ja-lunch-iso2022jp", "木村 <kimura@example.jp>", "hayashi@example.jp", "忘年会のお店の候補",
     "林さん\n\n忘年会のお店ですが、駅前の和食のお店と、会社の近くの中華料理のお店を候補にしています。\n"
     "人数は15人くらいの予定です。どちらがいいか、金曜日までに教えてください。\n\n木村", charset="iso-2022-jp")

# ---------------------------------------------------------------- ham, English
mail("ham-en-meeting", "Alice Walker <alice@example.com>", "bob@example.org", "Project sync on Thursday",
     "Hi Bob,\n\nCan we move our project sync to Thursday at 3pm? I would like to go over the test plan and the\n"
     "release checklist before the holidays.\n\nThanks,\nAlice", cte="7bit")
mail("ham-en-invoice", "Accounts <accounts@example.com>", "finance@example.org", "Invoice 2026-118 for November",
     "Hello,\n\nPlease find attached our invoice 2026-118 for the services provided in November.\n"
     "Payment terms are 30 days. Let us know if you have any questions.\n\nKind regards,\nExample Consulting Accounts",
     cte="7bit", attachment=("invoice-2026-118.pdf", "application/pdf", PDF))
mail("ham-en-newsletter", "Example Weekly <newsletter@news.example.com>", "reader@example.org", "Example Weekly: five tips for safer passwords",
     "This week: five tips for safer passwords, a look at the new library opening hours,\nand the results of our reader survey.\n\n"
     "You receive this newsletter because you subscribed on our website.\nTo unsubscribe, visit https://news.example.com/unsubscribe\n",
     cte="7bit", extra=["List-Unsubscribe: <https://news.example.com/unsubscribe>", "List-Id: Example Weekly <weekly.news.example.com>"])
mail("ham-en-thread", "Carol Smith <carol@example.net>", "dave@example.com", "Re: draft of the annual report",
     "Dave,\n\nI read the draft. Section 3 needs the updated numbers from the sales team, and the chart on page 7\n"
     "should use the same colours as last year. Otherwise it looks good.\n\n> Here is the first draft of the annual report.\n\nCarol",
     cte="7bit", extra=["In-Reply-To: <draft-12@example.com>", "References: <draft-12@example.com>"])
mail("ham-en-html-alternative", "Erin <erin@example.org>", "frank@example.com", "Photos from the team outing",
     "Hi Frank,\n\nThe photos from the team outing are in the shared album now. Enjoy!\n\nErin",
     html="<html><body><p>Hi Frank,</p><p>The photos from the team outing are in the shared album now. Enjoy!</p><p>Erin</p></body></html>",
     cte="quoted-printable")
mail("ham-en-build", "CI Server <ci@build.example.com>", "dev-team@example.com", "Build #4521 passed on main",
     "Build #4521 of the main branch passed.\n\nDuration: 12 min 40 s\nTests: 1832 passed, 0 failed\nCommit: 3f2a9c1 update the release notes\n",
     cte="7bit", extra=["Auto-Submitted: auto-generated"])

# ---------------------------------------------------------------- tag (spam, delivered tagged), Japanese
mail("tag-ja-sidejob-utf8", "副業サポート事務局 <info@sidejob.example.net>", "user@example.jp", "スマホで簡単！副業で月収30万円",
     "突然のご連絡失礼いたします。\nスマホ1台で誰でも簡単に稼げる方法をご紹介します。\n実際に月収30万円を達成した方も多数！\n"
     "詳しくは下記のページをご覧ください。\nhttps://sidejob.example.net/lp\n", date="Thu, 3 Dec 2026 03:12:00 +0900")
mail("tag-ja-miwaku-iso2022jp", "キャンペーン事務局 <campaign@promo.example.net>", "user@example.jp", "未承認広告※ 年末大感謝セール開催中",
     "未承認広告※\n\n年末大感謝セールを開催中です。\n全品半額、今だけの特別価格でご提供いたします。\n先着100名様には特典もございます。\n"
     "https://promo.example.net/sale\n", charset="iso-2022-jp", mid=False)
mail("tag-ja-invest-qp", "投資情報センター <toushi@invest.example.net>", "user@example.jp", "【限定公開】必ず儲かる投資法",
     "こんにちは。\n元本保証で高配当、必ず儲かる投資法を限定公開しています。\n今だけ無料で資料をお送りします。\n"
     "ご希望の方はこのメールに返信してください。\n", cte="quoted-printable", senc="Q")
mail("tag-ja-dating-utf8", "ゆい <yui@dating.example.net>", "user@example.jp", "はじめまして、出会いを探しています",
     "はじめまして、ゆいです。\n近くに住んでいる人と出会いたくてメールしました。\n今夜会える人を探しています。\nプロフィールはこちら\n"
     "https://dating.example.net/p/yui\n", mid=False)
mail("tag-ja-lottery-iso2022jp", "当選通知センター <info@prize.example.net>", "user@example.jp", "【当選】おめでとうございます",
     "おめでとうございます。\nあなたは抽選で賞金100万円に当選しました。\n賞金の受け取りには事務手数料のお振込みが必要です。\n"
     "詳しくは返信にてお問い合わせください。\n", charset="iso-2022-jp", mid=False)

# ---------------------------------------------------------------- refuse (spam, refused with 550), Japanese
mail("refuse-ja-phish-account-utf8", "サンプル銀行 <security@sample-bank.example.net>", "user@example.jp",
     "【緊急】アカウント停止のお知らせ（至急ご確認ください）",
     "お客様のアカウントで不正なログインが検出されたため、ご利用を一時停止されました。\n24時間以内に下記のURLからログインし、"
     "ご本人確認を完了してください。\n完了されない場合、口座は凍結されます。\nhttp://198.51.100.23/login/verify\n",
     date=None, mid=False, extra=["Reply-To: support@other.example.org", "X-Mailer: Mass Mailer 2.0"])
mail("refuse-ja-phish-card-iso2022jp", "カードサービス <info@card-service.example.net>", "user@example.jp",
     "【重要】カード利用停止のお知らせ",
     "いつもご利用ありがとうございます。\nお客様のカードに異常なアクセスがあったため、カードのご利用を制限されました。\n"
     "48時間以内にクレジットカード情報を更新してください。\n以下のリンクからログインしてください。\nhttp://203.0.113.77/card/update\n",
     charset="iso-2022-jp", date=None, mid=False, extra=["Reply-To: help@other.example.org"])
mail("refuse-ja-adult-html-utf8", "人妻クラブ <club@adult.example.net>", "user@example.jp", "今夜会える人妻が待っています",
     None, html="<html><body><h1>出会い系で今夜会える！</h1><p>人妻・熟女と即会い。登録は完全無料。</p>"
                "<p><a href=\"http://198.51.100.99/r?id=1\">今すぐ登録</a></p><p>無修正動画も今だけ見放題！</p></body></html>",
     date=None, mid=False)
mail("refuse-ja-sidejob-phish-qp", "副業支援センター <center@money.example.net>", "user@example.jp", "【至急確認】副業で即日高額報酬",
     "未承認広告※\n誰でも簡単にスマホだけで稼げる！月収100万円も可能です。\n参加料は完全無料、先着50名限定。\n"
     "24時間以内に下記のURLからログインして登録を完了してください。\nhttp://203.0.113.8/join\n",
     cte="quoted-printable", senc="Q", date=None, mid=False)

# ---------------------------------------------------------------- tag, English
mail("tag-en-pills", "Pharmacy Deals <deals@pharma.example.net>", "user@example.org", "Cheap meds, 80% off this week",
     "Buy cheap meds online: viagra, cialis and more at discount prices.\nNo prescription needed. Discreet shipping worldwide.\n"
     "https://pharma.example.net/shop\n", cte="7bit", mid=False)
mail("tag-en-workfromhome", "Career Team <jobs@income.example.net>", "user@example.org", "Work from home and earn more",
     "Work from home and make money fast with our proven system.\nGuaranteed income from day one, no experience needed.\n"
     "Sign up today: https://income.example.net/start\n", cte="7bit", mid=False)
mail("tag-en-seo", "SEO Experts <sales@seo.example.net>", "webmaster@example.org", "Limited time offer: first page on search engines",
     "Dear website owner,\n\nWe noticed your website is not on the first page of search results.\nOur experts offer guaranteed ranking "
     "within 30 days. This is a limited time offer, act now!\n\nReply to this email for a risk-free trial.\n", cte="7bit")

# ---------------------------------------------------------------- refuse, English
mail("refuse-en-lottery", "International Lottery Board <claims@lottery.example.net>", "user@example.org",
     "Congratulations, you won USD 1,500,000", "Dear Winner,\n\nYour email address has won USD 1,500,000 in our international draw.\n"
     "To claim your prize, send your full name and bank details together with the processing fee of USD 250\n"
     "within 48 hours. Act now, this is a limited time offer.\n\nhttp://198.51.100.45/claim\n",
     cte="7bit", date=None, mid=False, extra=["Reply-To: agent@other.example.org"])
mail("refuse-en-phish-mailbox", "Mail Administrator <admin@mailbox-support.example.net>", "user@example.org",
     "Urgent: your mailbox will be suspended", "Dear user,\n\nYour mailbox has been suspended because of unusual activity.\n"
     "Verify your account within 24 hours or your mailbox will be deactivated.\n\nVerify now: http://203.0.113.200/owa/verify\n",
     cte="7bit", date=None, mid=False, html="<html><body><p>Your mailbox has been suspended.</p><p><a href=\"http://203.0.113.200/owa/verify\">"
     "Verify your account</a> within 24 hours.</p></body></html>")
mail("refuse-en-extortion", "Anonymous <noreply@dark.example.net>", "user@example.org", "Urgent: I recorded you",
     "I have access to your computer and I recorded you through your webcam.\nI have an intimate video of you.\n"
     "Send USD 1200 in bitcoin to this bitcoin address within 48 hours: bc1qexampleexampleexampleexample0000\n"
     "If you do not pay, I will send the video to all your contacts.\n", cte="7bit", date=None, mid=False)
