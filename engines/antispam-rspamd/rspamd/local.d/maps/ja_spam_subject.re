# Japanese spam and phishing subjects (Omamori). One UTF-8 regular expression per line.
/未承認広告/
/副業/
/(稼げ|儲か)/
/(高額|即日).{0,8}(報酬|融資|収入)/
/出会い/
/当選/
/完全無料/
/今すぐ(登録|クリック|確認)/
/(アカウント|口座|カード|ご利用).{0,10}(停止|凍結|制限|ロック)/
/(緊急|至急).{0,4}(ご確認|確認)/
