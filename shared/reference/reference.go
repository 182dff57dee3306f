// Package reference holds the classifications filings name: the 45 classes of the Nice
// Classification (trademarks; class headings of NCL 12th edition in English, and the Chinese
// headings of the CNIPA's 类似商品和服务区分表) and the 32 classes of the Locarno
// Classification (designs).
package reference

// Class is one class of a classification with its heading in English and Chinese.
type Class struct {
	Class     int    `json:"class"`
	Heading   string `json:"heading"`
	HeadingZh string `json:"heading_zh"`
}

// Nice lists the 45 Nice classes: 1–34 goods, 35–45 services.
var Nice = []Class{
	{1, "Chemicals for use in industry, science and photography, as well as in agriculture, horticulture and forestry; unprocessed artificial resins, unprocessed plastics; fire extinguishing and fire prevention compositions; tempering and soldering preparations; substances for tanning animal skins and hides; adhesives for use in industry; putties and other paste fillers; compost, manures, fertilizers; biological preparations for use in industry and science.", "用于工业、科学、摄影、农业、园艺和林业的化学品；未加工人造合成树脂，未加工塑料物质；灭火和防火用合成物；淬火和焊接用制剂；鞣制动物皮毛用物质；工业用粘合剂；油灰及其他膏状填料；堆肥，肥料，化肥；工业和科学用生物制剂。"},
	{2, "Paints, varnishes, lacquers; preservatives against rust and against deterioration of wood; colorants, dyes; inks for printing, marking and engraving; raw natural resins; metals in foil and powder form for use in painting, decorating, printing and art.", "颜料，清漆，漆；防锈剂和木材防腐剂；着色剂，染料；印刷、标记和雕刻用油墨；未加工的天然树脂；绘画、装饰、印刷和艺术用金属箔及金属粉。"},
	{3, "Non-medicated cosmetics and toiletry preparations; non-medicated dentifrices; perfumery, essential oils; bleaching preparations and other substances for laundry use; cleaning, polishing, scouring and abrasive preparations.", "不含药物的化妆品和梳洗用制剂；不含药物的牙膏；香料，香精油；洗衣用漂白剂及其他物料；清洁、擦亮、去渍及研磨用制剂。"},
	{4, "Industrial oils and greases, wax; lubricants; dust absorbing, wetting and binding compositions; fuels and illuminants; candles and wicks for lighting.", "工业用油和油脂，蜡；润滑剂；吸收、润湿和粘结灰尘用合成物；燃料和照明材料；照明用蜡烛和灯芯。"},
	{5, "Pharmaceuticals, medical and veterinary preparations; sanitary preparations for medical purposes; dietetic food and substances adapted for medical or veterinary use, food for babies; dietary supplements for human beings and animals; plasters, materials for dressings; material for stopping teeth, dental wax; disinfectants; preparations for destroying vermin; fungicides, herbicides.", "药品，医用和兽医用制剂；医用卫生制剂；医用或兽医用营养食物和物质，婴儿食品；人用和动物用膳食补充剂；膏药，绷敷材料；填塞牙孔用料，牙科用蜡；消毒剂；消灭有害动物制剂；杀真菌剂，除莠剂。"},
	{6, "Common metals and their alloys, ores; metal materials for building and construction; transportable buildings of metal; non-electric cables and wires of common metal; small items of metal hardware; metal containers for storage or transport; safes.", "普通金属及其合金，金属矿石；金属建筑材料；可移动金属建筑物；普通金属制非电气用缆线；金属小五金具；存储和运输用金属容器；保险箱。"},
	{7, "Machines, machine tools, power-operated tools; motors and engines, except for land vehicles; machine coupling and transmission components, except for land vehicles; agricultural implements, other than hand-operated hand tools; incubators for eggs; automatic vending machines.", "机器，机床，电动工具；马达和引擎（陆地车辆用的除外）；机器联结器和传动机件（陆地车辆用的除外）；除手动手工具以外的农业器具；孵化器；自动售货机。"},
	{8, "Hand tools and implements, hand-operated; cutlery; side arms, except firearms; razors.", "手工具和器具（手动的）；刀、叉和匙餐具；除火器外的随身武器；剃刀。"},
	{9, "Scientific, research, navigation, surveying, photographic, cinematographic, audiovisual, optical, weighing, measuring, signalling, detecting, testing, inspecting, life-saving and teaching apparatus and instruments; apparatus and instruments for conducting, switching, transforming, accumulating, regulating or controlling the distribution or use of electricity; apparatus and instruments for recording, transmitting, reproducing or processing sound, images or data; recorded and downloadable media, computer software, blank digital or analogue recording and storage media; mechanisms for coin-operated apparatus; cash registers, calculating devices; computers and computer peripheral devices; diving suits, divers' masks, ear plugs for divers, nose clips for divers and swimmers, gloves for divers, breathing apparatus for underwater swimming; fire-extinguishing apparatus.", "科学、研究、导航、测量、摄影、电影、视听、光学、衡具、量具、信号、侦测、测试、检验、救生和教学用装置及仪器；处理、开关、转换、积累、调节或控制电的配送或使用的装置和仪器；录制、传送、重放或处理声音、影像或数据的装置和仪器；已录制和可下载的媒体，计算机软件，录制和存储用空白的数字或模拟介质；投币启动设备用机械装置；收银机，计算设备；计算机和计算机外围设备；潜水服，潜水面罩，潜水用耳塞，潜水和游泳用鼻夹，潜水员手套，潜水呼吸器；灭火设备。"},
	{10, "Surgical, medical, dental and veterinary apparatus and instruments; artificial limbs, eyes and teeth; orthopaedic articles; suture materials; therapeutic and assistive devices adapted for persons with disabilities; massage apparatus; apparatus, devices and articles for nursing infants; sexual activity apparatus, devices and articles.", "外科、医疗、牙科和兽医用仪器及器械；假肢，假眼和假牙；矫形用物品；缝合材料；残疾人专用治疗装置；按摩器械；婴儿护理用器械、器具及用品；性生活用器械、器具及用品。"},
	{11, "Apparatus and installations for lighting, heating, cooling, steam generating, cooking, drying, ventilating, water supply and sanitary purposes.", "照明、加热、冷却、蒸汽发生、烹饪、干燥、通风、供水以及卫生用装置和设备。"},
	{12, "Vehicles; apparatus for locomotion by land, air or water.", "运载工具；陆、空、海用运载装置。"},
	{13, "Firearms; ammunition and projectiles; explosives; fireworks.", "火器；军火及弹药；炸药；焰火。"},
	{14, "Precious metals and their alloys; jewellery, precious and semi-precious stones; horological and chronometric instruments.", "贵金属及其合金；首饰，宝石和半宝石；钟表和计时仪器。"},
	{15, "Musical instruments; music stands and stands for musical instruments; conductors' batons.", "乐器；乐谱架和乐器架；指挥棒。"},
	{16, "Paper and cardboard; printed matter; bookbinding material; photographs; stationery and office requisites, except furniture; adhesives for stationery or household purposes; drawing materials and materials for artists; paintbrushes; instructional and teaching materials; plastic sheets, films and bags for wrapping and packaging; printers' type, printing blocks.", "纸和纸板；印刷品；书籍装订材料；照片；文具和办公用品（家具除外）；文具用或家庭用粘合剂；绘画材料和艺术家用材料；画笔；教育或教学用品；包装和打包用塑料纸、塑料膜和塑料袋；印刷铅字，印版。"},
	{17, "Unprocessed and semi-processed rubber, gutta-percha, gum, asbestos, mica and substitutes for all these materials; plastics and resins in extruded form for use in manufacture; packing, stopping and insulating materials; flexible pipes, tubes and hoses, not of metal.", "未加工和半加工的橡胶、古塔胶、树胶、石棉、云母及这些材料的代用品；生产用成型塑料和树脂制品；包装、填充和绝缘用材料；非金属软管和非金属柔性管。"},
	{18, "Leather and imitations of leather; animal skins and hides; luggage and carrying bags; umbrellas and parasols; walking sticks; whips, harness and saddlery; collars, leashes and clothing for animals.", "皮革和人造皮革；动物皮；行李箱和背包；雨伞和阳伞；手杖；鞭，马具和鞍具；动物用项圈、皮带和衣服。"},
	{19, "Materials, not of metal, for building and construction; rigid pipes, not of metal, for building; asphalt, pitch, tar and bitumen; transportable buildings, not of metal; monuments, not of metal.", "非金属的建筑材料；建筑用非金属硬管；柏油，沥青；可移动非金属建筑物；非金属纪念碑。"},
	{20, "Furniture, mirrors, picture frames; containers, not of metal, for storage or transport; unworked or semi-worked bone, horn, whalebone or mother-of-pearl; shells; meerschaum; yellow amber.", "家具，镜子，相框；存储或运输用非金属容器；未加工或半加工的骨、角、鲸骨或珍珠母；贝壳；海泡石；黄琥珀。"},
	{21, "Household or kitchen utensils and containers; cookware and tableware, except forks, knives and spoons; combs and sponges; brushes, except paintbrushes; brush-making materials; articles for cleaning purposes; unworked or semi-worked glass, except building glass; glassware, porcelain and earthenware.", "家用或厨房用器具和容器；烹饪用具和餐具（刀、叉、匙除外）；梳子和海绵；刷子（画笔除外）；制刷原料；清洁用具；未加工或半加工玻璃（建筑用玻璃除外）；玻璃器皿、瓷器和陶器。"},
	{22, "Ropes and string; nets; tents and tarpaulins; awnings of textile or synthetic materials; sails; sacks for the transport and storage of materials in bulk; padding, cushioning and stuffing materials, except of paper, cardboard, rubber or plastics; raw fibrous textile materials and substitutes therefor.", "绳索和细绳；网；帐篷和防水遮布；纺织品或合成材料制遮篷；帆；运输和贮存散装物用麻袋；衬垫和填充材料（纸或纸板、橡胶、塑料制除外）；纺织用纤维原料及其替代品。"},
	{23, "Yarns and threads for textile use.", "纺织用纱和线。"},
	{24, "Textiles and substitutes for textiles; household linen; curtains of textile or plastic.", "织物及其替代品；家庭日用纺织品；纺织品制或塑料制帘。"},
	{25, "Clothing, footwear, headwear.", "服装，鞋，帽。"},
	{26, "Lace, braid and embroidery, and haberdashery ribbons and bows; buttons, hooks and eyes, pins and needles; artificial flowers; hair decorations; false hair.", "花边，编带和刺绣品，缝纫用饰带和蝴蝶结；纽扣，领钩扣，饰针和缝针；人造花；发饰；假发。"},
	{27, "Carpets, rugs, mats and matting, linoleum and other materials for covering existing floors; wall hangings, not of textile.", "地毯，地席，亚麻油地毡及其他铺在已建成地板上的材料；非纺织品制壁挂。"},
	{28, "Games, toys and playthings; video game apparatus; gymnastic and sporting articles; decorations for Christmas trees.", "游戏器具和玩具；视频游戏装置；体育和运动用品；圣诞树用装饰品。"},
	{29, "Meat, fish, poultry and game; meat extracts; preserved, frozen, dried and cooked fruits and vegetables; jellies, jams, compotes; eggs; milk, cheese, butter, yogurt and other milk products; oils and fats for food.", "肉，鱼，家禽和野味；肉汁；腌渍、冷冻、干制及煮熟的水果和蔬菜；果冻，果酱，蜜饯；蛋；奶，奶酪，黄油，酸奶和其他奶制品；食用油和油脂。"},
	{30, "Coffee, tea, cocoa and substitutes therefor; rice, pasta and noodles; tapioca and sago; flour and preparations made from cereals; bread, pastries and confectionery; chocolate; ice cream, sorbets and other edible ices; sugar, honey, treacle; yeast, baking-powder; salt, seasonings, spices, preserved herbs; vinegar, sauces and other condiments; ice (frozen water).", "咖啡，茶，可可及其代用品；米，意式面食，面条；食用淀粉和西米；面粉和谷类制品；面包、糕点和甜食；巧克力；冰淇淋，果汁刨冰和其他食用冰；糖，蜂蜜，糖浆；鲜酵母，发酵粉；食盐，调味料，香辛料，腌制香草；醋，调味酱汁和其他调味品；冰（冻结的水）。"},
	{31, "Raw and unprocessed agricultural, aquacultural, horticultural and forestry products; raw and unprocessed grains and seeds; fresh fruits and vegetables, fresh herbs; natural plants and flowers; bulbs, seedlings and seeds for planting; live animals; foodstuffs and beverages for animals; malt.", "未加工的农业、水产养殖业、园艺、林业产品；未加工的谷物和种子；新鲜水果和蔬菜，新鲜芳香草本植物；草木和花卉；种植用球茎、幼苗和种子；活动物；动物的饮食；麦芽。"},
	{32, "Beers; non-alcoholic beverages; mineral and aerated waters; fruit beverages and fruit juices; syrups and other non-alcoholic preparations for making beverages.", "啤酒；无酒精饮料；矿泉水和汽水；水果饮料及果汁；糖浆及其他用于制作无酒精饮料的制剂。"},
	{33, "Alcoholic beverages, except beers; alcoholic preparations for making beverages.", "酒精饮料（啤酒除外）；制饮料用酒精制剂。"},
	{34, "Tobacco and tobacco substitutes; cigarettes and cigars; electronic cigarettes and oral vaporizers for smokers; smokers' articles; matches.", "烟草和烟草代用品；香烟和雪茄；电子香烟和吸烟者用口腔雾化器；烟具；火柴。"},
	{35, "Advertising; business management, organization and administration; office functions.", "广告；商业经营、组织和管理；办公事务。"},
	{36, "Financial, monetary and banking services; insurance services; real estate affairs.", "金融，货币和银行服务；保险服务；不动产事务。"},
	{37, "Construction services; installation and repair services; mining extraction, oil and gas drilling.", "建筑服务；安装和修理服务；采矿，石油和天然气钻探。"},
	{38, "Telecommunications.", "电信。"},
	{39, "Transport; packaging and storage of goods; travel arrangement.", "运输；商品包装和贮藏；旅行安排。"},
	{40, "Treatment of materials; recycling of waste and trash; air purification and treatment of water; printing services; food and drink preservation.", "材料处理；废物和垃圾的回收利用；空气净化和水处理；印刷服务；食物和饮料的防腐处理。"},
	{41, "Education; providing of training; entertainment; sporting and cultural activities.", "教育；提供培训；娱乐；文体活动。"},
	{42, "Scientific and technological services and research and design relating thereto; industrial analysis, industrial research and industrial design services; quality control and authentication services; design and development of computer hardware and software.", "科学技术服务和与之相关的研究与设计服务；工业分析、工业研究和工业品外观设计服务；质量控制和质量认证服务；计算机硬件与软件的设计与开发。"},
	{43, "Services for providing food and drink; temporary accommodation.", "提供食物和饮料服务；临时住宿。"},
	{44, "Medical services; veterinary services; hygienic and beauty care for human beings or animals; agriculture, aquaculture, horticulture and forestry services.", "医疗服务；兽医服务；人或动物的卫生和美容服务；农业、水产养殖、园艺和林业服务。"},
	{45, "Legal services; security services for the physical protection of tangible property and individuals; dating services, online social networking services; funerary services; babysitting.", "法律服务；为有形财产和个人提供实体保护的安全服务；交友服务，在线社交网络服务；殡仪服务；临时照看婴孩。"},
}

// Locarno lists the 32 Locarno classes (industrial designs).
var Locarno = []Class{
	{1, "Foodstuffs", "食品"},
	{2, "Articles of clothing and haberdashery", "服装和服饰用品"},
	{3, "Travel goods, cases, parasols and personal belongings, not elsewhere specified", "其他类未列入的旅行用品、箱包、阳伞和个人用品"},
	{4, "Brushware", "刷子"},
	{5, "Textile piece goods, artificial and natural sheet material", "纺织品、人造或天然材料片材类"},
	{6, "Furnishing", "家具和家居用品"},
	{7, "Household goods, not elsewhere specified", "其他类未列入的家用物品"},
	{8, "Tools and hardware", "工具和五金器具"},
	{9, "Packages and containers for the transport or handling of goods", "用于商品运输或装卸的包装和容器"},
	{10, "Clocks and watches and other measuring instruments, checking and signalling instruments", "钟、表和其他计量仪器，检测和信号仪器"},
	{11, "Articles of adornment", "装饰品"},
	{12, "Means of transport or hoisting", "运输或提升工具"},
	{13, "Equipment for production, distribution or transformation of electricity", "发电、配电或变电设备"},
	{14, "Recording, telecommunication or data processing equipment", "录音、通讯、信息再现设备"},
	{15, "Machines, not elsewhere specified", "其他类未列入的机械"},
	{16, "Photographic, cinematographic and optical apparatus", "照相、电影摄影和光学仪器"},
	{17, "Musical instruments", "乐器"},
	{18, "Printing and office machinery", "印刷和办公机械"},
	{19, "Stationery and office equipment, artists' and teaching materials", "文具和办公用品、美术用品、教学材料"},
	{20, "Sales and advertising equipment, signs", "销售和广告设备、标志"},
	{21, "Games, toys, tents and sports goods", "游戏器具、玩具、帐篷和体育用品"},
	{22, "Arms, pyrotechnic articles, articles for hunting, fishing and pest killing", "武器、烟火用品、用于狩猎、捕鱼及捕杀有害动物的器具"},
	{23, "Fluid distribution equipment, sanitary, heating, ventilation and air-conditioning equipment, solid fuel", "流体分配设备、卫生设备、供暖设备、通风和空调设备、固体燃料"},
	{24, "Medical and laboratory equipment", "医疗和实验室设备"},
	{25, "Building units and construction elements", "建筑构件和施工元件"},
	{26, "Lighting apparatus", "照明设备"},
	{27, "Tobacco and smokers' supplies", "烟草和吸烟用具"},
	{28, "Pharmaceutical and cosmetic products, toilet articles and apparatus", "药品、化妆品、梳妆用品和器具"},
	{29, "Devices and equipment against fire hazards, for accident prevention and for rescue", "防火灾、防事故救援装置和设备"},
	{30, "Articles for the care and handling of animals", "动物照管与驯养设备"},
	{31, "Machines and appliances for preparing food or drink, not elsewhere specified", "其他类未列入的食品或饮料制作机械和设备"},
	{32, "Graphic symbols and logos, surface patterns, ornamentation", "图形符号、标识、表面图案、纹饰"},
}
