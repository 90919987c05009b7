/**
 * Common passwords, refused whatever their length. Drawn from the well-known public top lists
 * (SecLists' most common, the RockYou and Have I Been Pwned tops, the CSDN / 12306 leak tops for
 * Chinese users), kept to what a length rule alone would let through or nearly so, then widened
 * with the usual decorations (years, digit runs, "!") in `isCommonPassword`.
 */
export const COMMON_PASSWORDS: readonly string[] = `
1234567890 0987654321 12345678910 123456789a a123456789 123456789q q123456789 1234567890a a1234567890 123456789abc abc123456789 1234567890q qwertyuiop qwertyuiop123 poiuytrewq asdfghjkl
asdfghjkl123 asdfghjkl; zxcvbnm123 zxcvbnm,./ qwertyuiopasdfghjkl qwerty123456 qwerty12345 qwerty1234 123456qwerty 1qaz2wsx3edc 1qaz2wsx 1qaz@wsx 1q2w3e4r5t 1q2w3e4r5t6y 1q2w3e4r q1w2e3r4t5
q1w2e3r4t5y6 zaq12wsx zaq1zaq1zaq1 !qaz2wsx qazwsxedc qazwsxedc123 qazwsxedcrfv 1qazxsw2 password password1 password12 password123 password1234 password12345 password! password1! passw0rd
p@ssw0rd p@ssword p@ssw0rd123 passw0rd123 password2024 password2025 password2026 mypassword mypassword1 mypassword123 newpassword newpassword1 changeme changeme123 changeme1234 letmein
letmein123 welcome welcome1 welcome123 welcome1234 welcome2024 welcome2025 welcome2026 iloveyou iloveyou1 iloveyou123 iloveyou1314 iloveyou520 trustno1 sunshine sunshine123 princess
princess123 football football123 baseball baseball123 basketball basketball123 superman superman123 batman123 spiderman starwars starwars123 dragon dragon123 master master123 monkey
monkey123 shadow shadow123 michael michael123 jennifer jordan23 charlie charlie123 computer computer123 internet internet123 whatever whatever123 freedom freedom123 liverpool chelsea123
arsenal123 manchester hello123 helloworld helloworld123 hellokitty administrator admin123 admin1234 admin12345 admin123456 administrator1 root123456 rootroot test123456 test1234567 testtest
testtest123 qwe123qwe123 qweasdzxc qweasdzxc123 qweqweqwe qwe1234567 asd123456 asdasdasd asdasd123 zxc123456 zxczxczxc abc123 abc1234567 abcd1234 abcd123456 abcdefg123 abcdefgh abcdefghij
abcdef123456 aaaaaaaaaa aa12345678 aa123456789 a1b2c3d4e5 a1b2c3d4e5f6 1a2b3c4d5e aaa123456 aaa1234567 aaaa111111 1111111111 0000000000 2222222222 3333333333 5555555555 6666666666 7777777777
8888888888 9999999999 1212121212 1234512345 1234554321 1122334455 1111122222 1231231234 123123123 1234123412 12341234 123454321 9876543210 0123456789 01234567890 123qweasd 123qweasdzxc
123qwe123qwe 123456abc 123456abcd 123456aa 123456789z 123456789. 12345678900 123456789012 1234567899 1234567891 12345678 123456789 11223344 112233445566 147258369 1472583690 159357
1593574560 159753 1597534862 147852369 1478523690 321654987 789456123 7894561230 741852963 963852741 3141592653 31415926 314159265358 2718281828 woaini woaini1314 woaini520 woaini521
woaini123 woaini1234 woaini12345 woaini123456 woaiwojia woaiwojia123 woainima woaini1314520 5201314 52013145201314 5201314520 1314520 1314520520 13145201314 520520520 5211314 5201314a
a5201314 wangyut2 aini1314 aini1314520 iloveu1314 qq123456 qq123456789 qq5201314 qwer1234 qwer123456 asdf1234 asdf123456 zxcv1234 zxcv123456 zhang123 zhang123456 wang123456 li123456
liu123456 chen123456 yang123456 huang123456 zhao123456 wu123456 zhou123456 xu123456 sun123456 ma123456 zhu123456 hu123456 guo123456 he123456 lin123456 zhangwei wangwei wangfang liwei lijing
zhangmin zhangjing wangjing liuyang wangyang zhangyan dearbook wodemima mima123456 mimamima nihao123 nihao123456 nihaoma aaaaaa aaaaaaaa a11111111 a12345678 a123123123 a123456a aa123456
abc123abc iloveyou! qwerty qwertyui qwertyu asdfgh asdfghjk zxcvbn zxcvbnm zxcvbnmasdfghjkl 1q2w3e q1w2e3r4 qazwsx qazwsx123 qazwsx1234 qaz123456 pass1234 pass12345 pass123456 passpass
passport security security1 secret123 secret1234 mysecret default default123 guest12345 user123456 login123 login12345 access123 access14 killer123 hunter2 hunter123 matrix123 thomas123
summer2024 summer2025 summer2026 winter2024 winter2025 winter2026 spring2025 spring2026 autumn2025 january2026 december2026 samsung123 apple12345 google1234 facebook123 microsoft microsoft1
linkedin123 wechat123 weixin123 taobao123 alibaba123 baidu12345 tencent123 gongxiao123 gongxiao1234 company123 business123 service123 support123 office2024 office2025 shop123456 seller123456
supplier123 warehouse123 finance123 operator123 owner123456 merchant123 correcthorse correcthorsebatterystaple ilovechina china123456 beijing123 shanghai123 shenzhen123 guangzhou123
hangzhou123 yiwu123456 zhongguo zhongguo123 aoyun2008 beijing2008 wuhan123456 chengdu123
`
  .split(/\s+/)
  .filter((word) => word.length > 0);
